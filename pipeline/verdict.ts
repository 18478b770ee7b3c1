/**
 * What a pure stage says about one item. Stages never throw at an item: what
 * they cannot handle is kept (quarantine, with a reason) or knowingly dropped.
 */
export interface Warning {
  type: string;
  detail?: string;
}

export type Verdict<T> =
  | { kind: "ok"; value: T; warnings: Warning[] }
  | { kind: "quarantine"; stage: string; reason: string; input: unknown; error?: unknown }
  | { kind: "drop"; reason: "duplicate" | "no-brand" };

export const ok = <T>(value: T, warnings: Warning[] = []): Verdict<T> => ({ kind: "ok", value, warnings });
export const quarantine = <T>(stage: string, reason: string, input: unknown, error?: unknown): Verdict<T> => ({
  kind: "quarantine",
  stage,
  reason,
  input,
  error,
});
export const drop = <T>(reason: "duplicate" | "no-brand"): Verdict<T> => ({ kind: "drop", reason });

export type Quarantined = Extract<Verdict<unknown>, { kind: "quarantine" }>;
