import type { IntervalHistogram } from "node:perf_hooks";

/** One printed figure: what it is, its value, and how to read it. */
export interface Figure {
  label: string;
  value: string;
  note?: string;
}

/** The figures of one benchmark, as printed in run.ts's table. */
export interface Section {
  title: string;
  figures: Figure[];
}

const grouped = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** 12345.6 → "12,346" */
export const int = (n: number): string => grouped.format(n);

/** A number with `digits` decimals. */
export const fixed = (n: number, digits = 1): string => n.toFixed(digits);

/** Milliseconds, with sensible precision for the size. */
export function ms(n: number): string {
  if (n >= 10_000) return `${fixed(n / 1000, 1)} s`;
  if (n >= 100) return `${int(n)} ms`;
  if (n >= 1) return `${fixed(n, 1)} ms`;
  return `${fixed(n * 1000, 0)} µs`;
}

/** The q-quantile (0..1) of `values`, nearest rank. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export const median = (values: readonly number[]): number => quantile(values, 0.5);

/** Event-loop delay histogram (nanoseconds) as max / p99 / mean milliseconds. */
export function loopDelay(h: IntervalHistogram): { maxMs: number; p99Ms: number; meanMs: number } {
  return { maxMs: h.max / 1e6, p99Ms: h.percentile(99) / 1e6, meanMs: h.mean / 1e6 };
}

/** Prints sections as aligned label / value / note columns. */
export function formatSections(sections: readonly Section[]): string {
  const all = sections.flatMap((s) => s.figures);
  const labelWidth = Math.max(...all.map((f) => f.label.length));
  const valueWidth = Math.max(...all.map((f) => f.value.length));
  const lines: string[] = [];
  for (const section of sections) {
    lines.push("", section.title, "─".repeat(Math.min(100, section.title.length)));
    for (const f of section.figures) {
      const row = `  ${f.label.padEnd(labelWidth)}  ${f.value.padStart(valueWidth)}`;
      lines.push(f.note ? `${row}  ${f.note}` : row);
    }
  }
  return lines.join("\n");
}
