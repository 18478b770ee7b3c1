import type { Incident } from "../../mention";

/**
 * Why a source is down, in the reader's language. The incident keeps one
 * summary, written by pipeline/incidents/source-down.ts and lifecycle.ts in
 * a fixed English form ("Source vk-1 is down: 3 failed polls in a row: HTTP
 * 503" or "…: no mentions for 3 h (usually every 10 min)"); this reads that
 * form back so Polish and Russian notices do not quote English. The source's
 * own error text (from an API) stays as the API wrote it. A summary in any
 * other form is quoted as it is.
 */
export type NoticeLang = "en" | "pl" | "ru";

const FAILURES = /is down: (\d+) failed polls in a row: ([\s\S]*)$/;
const SILENCE = /is down: no mentions for (\d+) (min|h) \(usually every (\d+) (min|h)\)$/;

const PHRASES: Record<NoticeLang, { failures: (n: number, error: string) => string; silence: (silent: string, usual: string) => string; min: string; h: string }> = {
  en: {
    failures: (n, error) => `${n} failed polls in a row (${error})`,
    silence: (silent, usual) => `no mentions for ${silent}, usually one every ${usual}`,
    min: "min",
    h: "h",
  },
  pl: {
    failures: (n, error) => `${n} nieudanych odpytań z rzędu (${error})`,
    silence: (silent, usual) => `brak wzmianek od ${silent}, zwykle co ${usual}`,
    min: "min",
    h: "godz.",
  },
  ru: {
    failures: (n, error) => `${n} неудачных опросов подряд (${error})`,
    silence: (silent, usual) => `нет упоминаний ${silent}, обычно каждые ${usual}`,
    min: "мин",
    h: "ч",
  },
};

export function sourceDownReason(incident: Pick<Incident, "summary">, lang: NoticeLang): string {
  const p = PHRASES[lang];
  const failures = FAILURES.exec(incident.summary);
  if (failures) return p.failures(Number(failures[1]), failures[2]!);
  const silence = SILENCE.exec(incident.summary);
  if (silence) {
    const unit = (u: string) => (u === "h" ? p.h : p.min);
    return p.silence(`${silence[1]} ${unit(silence[2]!)}`, `${silence[3]} ${unit(silence[4]!)}`);
  }
  return incident.summary;
}
