import type { UserLang, UserRecord, UserRole } from "../users/user-record";
import { bindDatabase } from "./migrate";
import type { SqlRunner } from "./sql-runner";

/** Dashboard users (migration 0013). Rules (last admin, validation) live in pipeline/users/user-admin.ts. */
export interface UsersStore {
  /** Upsert by username: the whole row, as it is now. */
  saveUser(user: UserRecord): Promise<void>;
  /** Every user not removed, by username. */
  users(): Promise<UserRecord[]>;
  /** One user not removed, or null. */
  user(username: string): Promise<UserRecord | null>;
  /** Removes the user (a tombstone version of the row); a later saveUser brings the name back as a new user. */
  removeUser(username: string, at: number): Promise<void>;
}

const TABLE = "{db}.users";

const COLUMNS = `
    username, role, password_hash, lang, time_zone, disabled,
    toUnixTimestamp64Milli(password_set_at) AS password_set_at_ms,
    toUnixTimestamp64Milli(created_at) AS created_at_ms,
    toUnixTimestamp64Milli(updated_at) AS updated_at_ms`;

// FINAL merges versions at read time (the table is tiny); WHERE is applied to
// the merged rows, so a tombstone hides every older version of its name.
const ALL_USERS = `
SELECT ${COLUMNS}
FROM {db}.users FINAL
WHERE removed = 0
ORDER BY username`;

const ONE_USER = `
SELECT ${COLUMNS}
FROM {db}.users FINAL
WHERE username = {username:String} AND removed = 0
LIMIT 1`;

interface UserRow {
  username: string;
  role: string;
  password_hash: string;
  lang: string;
  time_zone: string;
  disabled: number;
  password_set_at_ms: number;
  created_at_ms: number;
  updated_at_ms: number;
}

export function usersStore(runner: SqlRunner, database: string): UsersStore {
  const table = bindDatabase(TABLE, database);
  const all = bindDatabase(ALL_USERS, database);
  const one = bindDatabase(ONE_USER, database);
  const nextVersion = versions();
  return {
    async saveUser(u) {
      await runner.insert(table, [toRow(u, false, nextVersion(Date.now()))]);
    },
    async users() {
      return (await runner.query<UserRow>(all)).map(fromRow);
    },
    async user(username) {
      const [row] = await runner.query<UserRow>(one, { username });
      return row === undefined ? null : fromRow(row);
    },
    async removeUser(username, at) {
      const tombstone: UserRecord = {
        username,
        role: "viewer",
        passwordHash: "",
        passwordSetAt: at,
        lang: null,
        timeZone: null,
        disabled: true,
        createdAt: at,
        updatedAt: at,
      };
      await runner.insert(table, [toRow(tombstone, true, nextVersion(Date.now()))]);
    },
  };
}

/**
 * Versions in microseconds of the wall clock, increasing within this process
 * even inside one millisecond. The CLI is another process: between processes
 * the later clock wins, which is the order people made the changes in.
 */
function versions(): (now: number) => number {
  let last = 0;
  return (now) => {
    last = Math.max(now * 1000, last + 1);
    return last;
  };
}

function toRow(u: UserRecord, removed: boolean, version: number) {
  return {
    username: u.username,
    role: u.role,
    password_hash: u.passwordHash,
    password_set_at: u.passwordSetAt,
    lang: u.lang ?? "",
    time_zone: u.timeZone ?? "",
    disabled: u.disabled ? 1 : 0,
    removed: removed ? 1 : 0,
    created_at: u.createdAt,
    updated_at: u.updatedAt,
    version,
  };
}

function fromRow(r: UserRow): UserRecord {
  return {
    username: r.username,
    role: r.role as UserRole,
    passwordHash: r.password_hash,
    passwordSetAt: Number(r.password_set_at_ms),
    lang: r.lang === "" ? null : (r.lang as UserLang),
    timeZone: r.time_zone === "" ? null : r.time_zone,
    disabled: Number(r.disabled) === 1,
    createdAt: Number(r.created_at_ms),
    updatedAt: Number(r.updated_at_ms),
  };
}
