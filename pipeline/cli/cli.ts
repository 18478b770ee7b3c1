import { parseArgs } from "node:util";
import { isConfigError, isStoreError } from "../errors";
import type { loadConfig } from "../config/load";
import { createRootLogger } from "../log";

const HELP = `earshot — social listening and crisis alerts for pl, ru and en

Usage:
  earshot start [--config FILE]   run collectors, pipeline and dashboard
                                  (no file: the demo source on the embedded store)
  earshot check [--config FILE]   validate the configuration and print it (secrets hidden)
  earshot check --table           print the configuration reference (Markdown)
  earshot import FILE [--config FILE]
                                  import a JSONL or CSV export through the pipeline
  earshot sources                 list the source kinds with their options
  earshot poll --source KIND --options JSON [--allow-private-networks]
                                  one poll of a source configuration, printed as
                                  normalised mentions (JSON lines)
  earshot match (--query Q | --brand B [--config FILE]) "TEXT"
                                  whether and why a text matches a brand query
  earshot detect [--sensitivity N] [--min-count N] < series.jsonl
                                  the spike detector on any series: each line
                                  {"timestamp","value"} answered with {"score","alert"}
  earshot replay --brand B --from TIME --to TIME [--config FILE] [--sensitivity N] [--json]
                                  the spike rules over stored history: when incidents
                                  would have opened and closed, and how many per week
  earshot silence add (--brand B | --all) [--problem T] (--until TIME | --for 4h) [--reason R]
  earshot silence list | expire ID
                                  mute notices (not incidents) until a time
  earshot users add NAME --role viewer|responder|admin [--password-stdin] [--lang en|pl|ru] [--time-zone ZONE]
  earshot users list [--json] | remove NAME | set-role NAME ROLE | set-password NAME [--password-stdin]
  earshot users disable NAME | enable NAME
                                  dashboard users (without --password-stdin a password is made and printed once)
  earshot report weekly --brand B [--week 2026-W47] [--lang en|pl|ru] [--out FILE.pdf] [--time-zone ZONE] [--config FILE]
                                  one brand's weekly report as a PDF (default: last week)
  earshot eval language --data FILE.jsonl [--json] [--errors]
                                  accuracy of language detection on a labelled
                                  set ({"text","lang"} lines), per language and case
  earshot eval sentiment --data FILE.jsonl [--json] [--scorer model|lexicon]
                                  per language: n, accuracy, macro-F1, F1 over
                                  positive/negative, confusion matrix, texts/s
  earshot eval problems [--data FILE.jsonl] [--json] [--misses]
                                  precision and recall of problem types per type and
                                  language (default: the shipped labelled set)
  earshot help                    this text

Environment: EARSHOT_ADMIN_USER, EARSHOT_ADMIN_PASSWORD, EARSHOT_SESSION_SECRET,
EARSHOT_WEBHOOK_SECRET, EARSHOT_STORE_PASSWORD (secrets; only from the environment)
and EARSHOT_* overrides of configuration values (see README, "Configuration").
`;

interface CommandIo {
  out(text: string): void;
  err(text: string): void;
}

type OwnArgsCommand = (args: string[], io: CommandIo) => Promise<number>;

/**
 * Commands that read their own arguments: `earshot eval language …` is "eval
 * language". Each is imported when it runs: the language and sentiment models
 * take a few hundred milliseconds to load, which `earshot silence list` should
 * not pay.
 */
const OWN_ARGS: Record<string, () => Promise<OwnArgsCommand>> = {
  "eval language": async () => (await import("./eval-language-command")).runEvalLanguageCommand,
  "eval problems": async () => (await import("./eval-problems-command")).runEvalProblemsCommand,
  "eval sentiment": async () => (await import("./eval-sentiment-command")).runEvalSentimentCommand,
  detect: async () => (await import("./detect-command")).runDetectCommand,
  replay: async () => (await import("./replay-command")).runReplayCommand,
  silence: async () => (await import("./silence-command")).runSilenceCommand,
  match: async () => (await import("./match-command")).runMatchCommand,
  report: async () => (await import("./report-command")).runReportCommand,
  users: async () => (await import("./users-command")).runUsersCommand,
};

/** Runs one command; resolves to the process exit code. */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [command = "help", ...rest] = argv;
  if (command === "help" || command === "--help" || command === "-h") {
    process.stdout.write(HELP);
    return 0;
  }
  // Commands with their own options parse their own arguments.
  const own = OWN_ARGS[command === "eval" ? `eval ${rest[0] ?? ""}` : command];
  if (own) {
    const run = await own();
    return run(command === "eval" ? rest.slice(1) : rest, { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) });
  }
  if (command === "eval") {
    process.stderr.write(`earshot eval: say what to evaluate: ${Object.keys(OWN_ARGS).filter((k) => k.startsWith("eval ")).map((k) => k.slice(5)).join(", ")}\n`);
    return 2;
  }
  let options: { config?: string; table?: boolean; source?: string; options?: string; "allow-private-networks"?: boolean };
  let positionals: string[];
  try {
    ({ values: options, positionals } = parseArgs({
      allowPositionals: true,
      args: rest,
      options: {
        config: { type: "string", short: "c" },
        table: { type: "boolean" },
        source: { type: "string" },
        options: { type: "string" },
        "allow-private-networks": { type: "boolean" },
      },
    }));
  } catch (err) {
    process.stderr.write(`earshot: ${(err as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (command === "sources") {
    const { sourcesText } = await import("./sources-command");
    process.stdout.write(sourcesText());
    return 0;
  }
  if (command === "poll") {
    if (!options.source) {
      process.stderr.write("earshot poll: --source KIND is required (see earshot sources)\n");
      return 2;
    }
    const { runPollCommand } = await import("./poll-command");
    return runPollCommand({
      kind: options.source,
      optionsJson: options.options ?? "{}",
      allowPrivateNetworks: options["allow-private-networks"] ?? false,
      // Secrets are environment variables; the CLI is an edge, where reading them is allowed.
      secret: (name) => env[name],
      out: (line) => process.stdout.write(`${line}\n`),
      err: (line) => process.stderr.write(`${line}\n`),
    });
  }
  // The configuration schema is imported here, not at the top: `earshot sources`
  // and `earshot help` do not read a configuration.
  if (command === "check" && options.table) {
    const { configTable } = await import("../config/describe");
    process.stdout.write(`${configTable()}\n`);
    return 0;
  }
  const { loadConfig } = await import("../config/load");
  try {
    const loaded = loadConfig(options.config ?? null, env);
    if (command === "check") {
      process.stdout.write(`${JSON.stringify(loaded.config, null, 2)}\n`);
      return 0;
    }
    if (command === "start") return await start(loaded);
    if (command === "import") {
      const file = positionals[0];
      if (!file) {
        process.stderr.write("earshot import: give the file to import, e.g. earshot import mentions.jsonl\n");
        return 2;
      }
      const log = createRootLogger(loaded.config.log.level === "info" ? "warn" : loaded.config.log.level);
      const { runImportCommand } = await import("./import-command");
      return await runImportCommand({ file, loaded, log, err: (line) => process.stderr.write(`${line}\n`) });
    }
  } catch (err) {
    if (isConfigError(err)) {
      process.stderr.write(`${err.message}\n`);
      return 78; // EX_CONFIG
    }
    if (isStoreError(err)) {
      // The store's own message says which store and why (unreachable, a directory it cannot make); a stack adds nothing.
      process.stderr.write(`earshot ${command}: ${err.message}\n`);
      return 69; // EX_UNAVAILABLE
    }
    throw err;
  }
  process.stderr.write(`earshot: unknown command "${command}"\n\n${HELP}`);
  return 2;
}

async function start(loaded: ReturnType<typeof loadConfig>): Promise<number> {
  const log = createRootLogger(loaded.config.log.level);
  // Imported here, not at the top: the sentiment weights load with it, and the
  // quick commands (check, sources, help) do not need them.
  const { startEarshot } = await import("../main");
  const running = await startEarshot(loaded, { log });
  process.stdout.write(running.banner);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  log.info({}, "stopping: flushing the last mentions");
  await running.stop();
  return 0;
}
