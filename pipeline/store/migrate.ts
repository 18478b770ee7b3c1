import { readdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { StoreError, type SqlRunner } from "./sql-runner";

/**
 * Schema migrations: numbered SQL files in ./migrations, one dialect for the
 * embedded and the server runner. The database name is configuration (never
 * user input), checked to be a plain identifier and put where the files say
 * `{db}`; every value in every statement elsewhere is a bound parameter.
 *
 * For a cluster the same files are turned into their ON CLUSTER /
 * Replicated*MergeTree form by `clusterVariant` (no second folder to drift).
 * Distributed tables in front of the replicated ones are later work: with one
 * shard, reading the replicated tables directly is correct.
 */

const MIGRATIONS_DIR = fileURLToPath(new URL("./migrations/", import.meta.url));
const IDENTIFIER = /^[a-z_][a-z0-9_]*$/i;
const MIGRATION_FILE = /^\d{4}_[a-z0-9_]+\.sql$/;

export interface Migration {
  /** File name without `.sql`, e.g. `0001_mentions`; recorded once applied. */
  name: string;
  sql: string;
}

export interface SchemaOptions {
  database: string;
  /** A ClickHouse cluster name: DDL runs ON CLUSTER with replicated engines. */
  cluster?: string;
}

export function assertIdentifier(value: string, what: string): string {
  if (!IDENTIFIER.test(value)) {
    throw new StoreError(`${what} ${JSON.stringify(value)} is not a plain identifier (letters, digits, _)`, false);
  }
  return value;
}

/** The migration files, in order. */
export async function loadMigrations(dir: string = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => MIGRATION_FILE.test(f)).sort();
  return Promise.all(files.map(async (f) => ({ name: f.slice(0, -4), sql: await readFile(`${dir}/${f}`, "utf8") })));
}

/**
 * Statements of a migration file: `--` comment lines removed, split at a `;`
 * that ends a line. (The files hold DDL only; no statement has a `;` or a
 * `--` inside a string.)
 */
export function splitStatements(sql: string): string[] {
  const code = sql
    .split("\n")
    .filter((line) => !line.trimStart().startsWith("--"))
    .join("\n");
  return code
    .split(/;[ \t]*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** Puts the (validated) database name where the DDL says `{db}`. */
export function bindDatabase(sql: string, database: string): string {
  assertIdentifier(database, "database name");
  return sql.replaceAll("{db}", database);
}

const OBJECT_DDL =
  /\b(CREATE\s+(?:OR\s+REPLACE\s+)?(?:TABLE|MATERIALIZED\s+VIEW|VIEW|DICTIONARY)\s+(?:IF\s+NOT\s+EXISTS\s+)?|CREATE\s+DATABASE\s+(?:IF\s+NOT\s+EXISTS\s+)?|ALTER\s+TABLE\s+|DROP\s+(?:TABLE|VIEW|DICTIONARY|DATABASE)\s+(?:IF\s+EXISTS\s+)?|TRUNCATE\s+TABLE\s+(?:IF\s+EXISTS\s+)?|RENAME\s+TABLE\s+)((?:\{db\}|[A-Za-z_][\w]*)(?:\.[A-Za-z_]\w*)?)/gi;
const MERGE_TREE_ENGINE =
  /\bENGINE\s*=\s*(Replacing|Aggregating|Summing|Collapsing|VersionedCollapsing|Graphite)?MergeTree\b(?:\s*\(([^()]*)\))?/g;

/**
 * The cluster form of migration DDL: `ON CLUSTER <cluster>` after the object
 * name of every CREATE/ALTER/DROP/TRUNCATE/RENAME, and each *MergeTree engine
 * as its Replicated* twin with the conventional keeper path and replica
 * macros (`{shard}`, `{replica}` come from each server's configuration).
 * Pure text in, text out; statements already ON CLUSTER are left alone.
 *
 * Not covered yet (later work): Distributed tables in front of the
 * replicated ones for more than one shard.
 */
export function clusterVariant(sql: string, cluster: string): string {
  assertIdentifier(cluster, "cluster name");
  return splitKeepingSeparators(sql)
    .map((part) => toCluster(part, cluster))
    .join("");
}

function toCluster(statement: string, cluster: string): string {
  // Comment lines are set aside so that words in them are never rewritten.
  const comments: string[] = [];
  const code = statement.replace(/^[ \t]*--.*$/gm, (line) => `\u0000${comments.push(line) - 1}\u0000`);
  if (/\bON\s+CLUSTER\b/i.test(code)) return statement;
  let onCluster = false;
  return code
    .replace(OBJECT_DDL, (_m, verb: string, name: string) => {
      // A statement acts on one object: ON CLUSTER goes after the first name only.
      if (onCluster) return `${verb}${name}`;
      onCluster = true;
      return `${verb}${name} ON CLUSTER ${cluster}`;
    })
    .replace(MERGE_TREE_ENGINE, (_m, kind: string | undefined, args: string | undefined) => {
      const rest = args !== undefined && args.trim() !== "" ? `, ${args.trim()}` : "";
      return `ENGINE = Replicated${kind ?? ""}MergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}'${rest})`;
    })
    .replace(/\u0000(\d+)\u0000/g, (_m, i: string) => comments[Number(i)]!);
}

/** Splits at `;` line ends but keeps them, so the text rejoins exactly. */
function splitKeepingSeparators(sql: string): string[] {
  return sql.split(/(;[ \t]*(?:\n|$))/);
}

const BOOTSTRAP = [
  "CREATE DATABASE IF NOT EXISTS {db}",
  `CREATE TABLE IF NOT EXISTS {db}.schema_migrations
(
    name String,
    applied_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(applied_at)
ORDER BY name`,
];

/**
 * Creates the database and applies, in order, each migration not recorded in
 * `{db}.schema_migrations`. Every statement is idempotent (IF NOT EXISTS), so
 * a run cut short is finished by the next one. Returns the names applied now.
 */
export async function migrate(
  runner: SqlRunner,
  options: SchemaOptions,
  migrations?: readonly Migration[],
): Promise<string[]> {
  const { database, cluster } = options;
  const prepare = (sql: string) => {
    const text = cluster === undefined ? sql : clusterVariant(sql, cluster);
    return bindDatabase(text, database);
  };
  for (const statement of BOOTSTRAP) await runner.command(prepare(statement));

  const all = migrations ?? (await loadMigrations());
  const done = new Set(
    (await runner.query<{ name: string }>(bindDatabase("SELECT DISTINCT name FROM {db}.schema_migrations", database))).map(
      (r) => r.name,
    ),
  );
  const applied: string[] = [];
  for (const migration of all) {
    if (done.has(migration.name)) continue;
    for (const statement of splitStatements(migration.sql)) await runner.command(prepare(statement));
    await runner.insert(`${database}.schema_migrations`, [{ name: migration.name, applied_at: Date.now() }]);
    applied.push(migration.name);
  }
  return applied;
}
