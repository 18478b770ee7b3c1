import { createSafeHttp } from "../../collectors/http";
import { isPollingKind, pollingSources } from "../../collectors/registry";
import type { Logger, Source } from "../../collectors/source";
import { detectLanguage } from "../stages/detect-language";
import { normalize } from "../stages/normalize";

export interface PollCommandInput {
  kind: string;
  optionsJson: string;
  allowPrivateNetworks: boolean;
  /** Looks up a credential's environment variable. */
  secret(envName: string): string | undefined;
  out: (line: string) => void;
  err: (line: string) => void;
  now?: () => Date;
}

const MAX_TEXT_CHARS = 5_000;

/**
 * `earshot poll`: one poll of one source configuration, printed as normalised
 * mentions (JSON lines), so a user can try a source before adding it. No
 * store, no cursor: what the source returns for a first poll.
 */
export async function runPollCommand(input: PollCommandInput): Promise<number> {
  if (!isPollingKind(input.kind)) {
    input.err(`earshot poll: unknown source kind "${input.kind}"; polled kinds: ${Object.keys(pollingSources).join(", ")}`);
    return 2;
  }
  const source = pollingSources[input.kind] as Source<unknown>;
  let raw: unknown;
  try {
    raw = JSON.parse(input.optionsJson);
  } catch (e) {
    input.err(`earshot poll: --options is not valid JSON: ${(e as Error).message}`);
    return 2;
  }
  const parsed = source.options.safeParse(raw);
  if (!parsed.success) {
    input.err(`earshot poll: invalid options for ${input.kind}:\n${parsed.error.issues.map((i) => `  ${i.path.join(".") || "(options)"}: ${i.message}`).join("\n")}`);
    return 2;
  }
  const credentials: Record<string, string> = {};
  const missing: string[] = [];
  for (const spec of source.credentials ?? []) {
    const value = input.secret(spec.env);
    if (value) credentials[spec.name] = value;
    else if (!spec.optional) missing.push(spec.env);
  }
  if (missing.length > 0) {
    input.err(`earshot poll: ${input.kind} needs ${missing.join(", ")} in the environment`);
    return 2;
  }

  const now = input.now ?? (() => new Date());
  const http = createSafeHttp({ allowPrivateNetworks: input.allowPrivateNetworks });
  const log = stderrLogger(input.err);
  try {
    const page = await source.poll(parsed.data, null, { http, now, log, signal: AbortSignal.timeout(120_000), credentials });
    let printed = 0;
    for (const rawMention of page.mentions) {
      const verdict = normalize(rawMention, { now: now().getTime(), maxTextChars: MAX_TEXT_CHARS });
      if (verdict.kind !== "ok") {
        if (verdict.kind === "quarantine") input.err(`skipped ${rawMention.source}:${rawMention.sourceId}: ${verdict.reason}`);
        continue;
      }
      const m = verdict.value;
      const lang = detectLanguage(m.text, m.claimedLang).lang;
      input.out(JSON.stringify({ ...m, publishedAt: new Date(m.publishedAt).toISOString(), collectedAt: new Date(m.collectedAt).toISOString(), lang }));
      printed++;
    }
    input.err(`${printed} mention(s) from ${input.kind}`);
    return 0;
  } catch (e) {
    input.err(`earshot poll: ${(e as Error).message}`);
    return 1;
  } finally {
    await http.close();
  }
}

function stderrLogger(err: (line: string) => void): Logger {
  const at = (level: string) => (obj: object, msg?: string) => {
    if (level !== "debug") err(`[${level}] ${msg ?? ""} ${JSON.stringify(obj)}`);
  };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}
