import type { Incident } from "../../mention";
import type { NoticeLang } from "./source-reason";

/**
 * What spiked besides the brand's own negatives, in the reader's language:
 * " Signals: outage reports, source reddit." — or "" when nothing else did.
 * Signals an outage explains (inhibited) are left out: they paged nobody and
 * add nothing the outage does not say.
 */
const PROBLEMS: Record<NoticeLang, Record<string, string>> = {
  en: { outage: "outage", delivery: "delivery", quality: "quality", price: "price", service: "customer service", scandal: "reputation", security: "security" },
  pl: { outage: "awaria", delivery: "dostawa", quality: "jakość", price: "cena", service: "obsługa klienta", scandal: "reputacja", security: "bezpieczeństwo" },
  ru: { outage: "сбой", delivery: "доставка", quality: "качество", price: "цена", service: "обслуживание", scandal: "репутация", security: "безопасность" },
};
const WORDS: Record<NoticeLang, { signals: string; problem: (name: string) => string; source: (name: string) => string }> = {
  en: { signals: "Signals", problem: (n) => `${n} reports`, source: (n) => `source ${n}` },
  pl: { signals: "Sygnały", problem: (n) => `zgłoszenia: ${n}`, source: (n) => `źródło ${n}` },
  ru: { signals: "Сигналы", problem: (n) => `жалобы: ${n}`, source: (n) => `источник ${n}` },
};

export function signalClause(incident: Pick<Incident, "signals">, lang: NoticeLang): string {
  const words = WORDS[lang];
  const parts = (incident.signals ?? [])
    .filter((s) => s.kind !== "brand" && !s.inhibited)
    .map((s) => (s.kind === "problem" ? words.problem(PROBLEMS[lang][s.name] ?? s.name) : words.source(s.name)));
  return parts.length === 0 ? "" : ` ${words.signals}: ${parts.join(", ")}.`;
}
