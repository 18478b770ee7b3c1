import { fillPlaceholders, type PlaceholderValues } from "./fill-placeholders";
import type { Playbook, PlaybookLang } from "./playbook-schema";
import { SHIPPED_PLAYBOOKS } from "./shipped-playbooks";

/** One playbook in one language, placeholders filled: what the dashboard shows next to an incident. */
export interface PlaybookView {
  id: string;
  lang: PlaybookLang;
  acknowledgeWithinMinutes: number;
  title: string;
  summary: string;
  checklist: string[];
  statements: { label: string; text: string }[];
}

export interface PlaybookOptions {
  /** Brand, status page, support contact …; missing ones stay as visible {placeholders}. */
  values?: PlaceholderValues;
  /** The configuration's `playbooks` (already parsed): they replace shipped ones by id. */
  overrides?: readonly Playbook[];
}

/**
 * The playbook for a problem type (null: the incident has none), in one
 * language. Types without their own playbook (e.g. "price") get the default.
 * Pure: the same arguments give the same playbook.
 */
export function playbookFor(problemType: string | null, lang: PlaybookLang, options: PlaybookOptions = {}): PlaybookView {
  const book = playbooks(options.overrides);
  const chosen =
    (problemType !== null ? book.find((p) => p.problemTypes.includes(problemType)) : undefined) ??
    book.find((p) => p.id === "default") ??
    SHIPPED_PLAYBOOKS.find((p) => p.id === "default")!;
  return render(chosen, lang, options.values ?? {});
}

/** Shipped playbooks with the configured ones in place (same id replaces, a new id is added). */
export function playbooks(overrides: readonly Playbook[] = []): Playbook[] {
  const byId = new Map(SHIPPED_PLAYBOOKS.map((p) => [p.id, p]));
  for (const o of overrides) byId.set(o.id, o);
  // an override that claims a problem type takes it from the shipped playbook that had it
  const claimed = new Set(overrides.flatMap((o) => o.problemTypes));
  return [...byId.values()].map((p) =>
    overrides.includes(p) ? p : { ...p, problemTypes: p.problemTypes.filter((t) => !claimed.has(t)) },
  );
}

function render(book: Playbook, lang: PlaybookLang, values: PlaceholderValues): PlaybookView {
  const all = { ...values, minutes: String(book.acknowledgeWithinMinutes) };
  const fill = (text: string) => fillPlaceholders(text, all);
  const t = book[lang];
  return {
    id: book.id,
    lang,
    acknowledgeWithinMinutes: book.acknowledgeWithinMinutes,
    title: fill(t.title),
    summary: fill(t.summary),
    checklist: t.checklist.map(fill),
    statements: t.statements.map((s) => ({ label: fill(s.label), text: fill(s.text) })),
  };
}
