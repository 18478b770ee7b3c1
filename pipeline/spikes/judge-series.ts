import { PROBLEM_TYPES } from "../mention";
import { detectSpike, initialSpikeState, type SpikeSettings, type SpikeState, type SurgeJudgement } from "./detect-spike";
import type { SavedSeries } from "./detector-snapshot";
import type { ClosedMinute, SeriesPart } from "./minute-buckets";
import { parseSeriesKey, seriesKey, sourceOutageKey, type SeriesKind } from "./series-key";

/** One sub-series of a brand judged for one closed minute. */
export interface SeriesJudged {
  kind: SeriesKind;
  /** A problem type or a source kind. */
  name: string;
  minute: number;
  negative: number;
  /** For a source: its negatives in the minute that report an outage (what lets an outage explain its spike). */
  outageNegative?: number;
  judgement: SurgeJudgement;
}

export interface SeriesLimits {
  /** A source series with no mention for this long, and no surge under way, is dropped. */
  idleMinutes: number;
  /** Source series kept per brand; a source beyond it is counted in the brand's own series only. */
  maxSourcesPerBrand: number;
}

export const DEFAULT_SERIES_LIMITS: SeriesLimits = { idleMinutes: 24 * 60, maxSourcesPerBrand: 32 };

interface Series {
  state: SpikeState;
  /** Event time of the last minute with a mention in it. */
  lastSeenAt: number;
}

/**
 * The same detector as the brand's (detect-spike.ts), run over each brand's
 * sub-series: per problem type and per source. Each series keeps its own
 * baseline, so a surge of outage reports or of one forum's posts stands out
 * even when the brand's total negatives hardly move.
 *
 * What each series counts (negatives, and the total the share rule reads):
 *   - problem: the brand's negative mentions reporting that problem, against
 *     the brand's total — a launch (everything up) keeps the share and does
 *     not alarm;
 *   - source: that source's negatives against that source's total.
 *
 * Memory stays bounded: the seven problem series of a brand live as long as
 * the brand (they start with it, so they are as warm as it is when a first
 * outage report comes); source series start at a source's first mention, at
 * most `maxSourcesPerBrand` per brand, and are dropped after `idleMinutes`
 * without a mention unless a surge is under way. Each series costs one
 * SpikeState (about a hundred numbers) and one detector step a minute.
 *
 * Closed minutes are judged and their state kept. A RUNNING minute is
 * judged too, as the brand's own series is (judge-minutes.ts), but only for
 * the series a mention just counted in and only once they hold
 * `minNegatives` negatives: an outage reported twenty times in the first
 * half of a minute raises its signal then, not when the minute closes. The
 * state is not kept (counts of an open minute only grow), and a minute
 * before it that is still open is not looked at: the early judgement reads
 * the series as of its last closed minute.
 */
export class SeriesJudge {
  readonly #brands = new Map<string, Map<string, Series>>();
  readonly #settingsOf: (brand: string) => SpikeSettings;
  readonly #limits: SeriesLimits;

  constructor(
    settings: SpikeSettings,
    sensitivityOf: (brand: string) => number | undefined = () => undefined,
    limits: SeriesLimits = DEFAULT_SERIES_LIMITS,
  ) {
    const perBrand = new Map<string, SpikeSettings>();
    this.#settingsOf = (brand) => {
      let s = perBrand.get(brand);
      if (s === undefined) {
        const sensitivity = sensitivityOf(brand);
        s = sensitivity === undefined ? settings : { ...settings, sensitivity };
        perBrand.set(brand, s);
      }
      return s;
    };
    this.#limits = limits;
  }

  /** Judges every sub-series of the minute's brand (in a fixed order: problems, then sources by first appearance). */
  closed(minute: ClosedMinute): SeriesJudged[] {
    let series = this.#brands.get(minute.brand);
    if (series === undefined) {
      series = new Map(PROBLEM_TYPES.map((p) => [seriesKey("problem", p), { state: initialSpikeState(), lastSeenAt: minute.minute }]));
      this.#brands.set(minute.brand, series);
    }
    const parts = new Map((minute.parts ?? []).map((p) => [p.series, p]));
    let sources = 0;
    for (const key of series.keys()) if (key.startsWith("source:")) sources++;
    for (const key of parts.keys()) {
      if (series.has(key) || !key.startsWith("source:") || sources >= this.#limits.maxSourcesPerBrand) continue;
      series.set(key, { state: initialSpikeState(), lastSeenAt: minute.minute });
      sources++;
    }

    const settings = this.#settingsOf(minute.brand);
    const idleMs = this.#limits.idleMinutes * 60_000;
    const judged: SeriesJudged[] = [];
    for (const [key, entry] of series) {
      const parsed = parseSeriesKey(key);
      if (parsed === null) continue;
      const part = parts.get(key);
      const negative = part?.negative ?? 0;
      const total = parsed.kind === "problem" ? minute.total : (part?.total ?? 0);
      const { state, judgement } = detectSpike(entry.state, { at: minute.minute, negative, total }, settings);
      entry.state = state;
      if (part !== undefined && part.total > 0) entry.lastSeenAt = minute.minute;
      if (parsed.kind === "source" && !state.episode && minute.minute - entry.lastSeenAt >= idleMs) {
        series.delete(key); // deleting the current entry is safe while iterating a Map
        continue;
      }
      judged.push({ kind: parsed.kind, name: parsed.name, minute: minute.minute, negative, ...outageOf(parsed, (k) => parts.get(k)), judgement });
    }
    return judged;
  }

  /**
   * Judges the running counts of some sub-series of a minute still open;
   * only those that spike are returned (the rest wait for the minute to close).
   */
  running(count: ClosedMinute, parts: readonly SeriesPart[]): SeriesJudged[] {
    const series = this.#brands.get(count.brand);
    if (series === undefined) return [];
    const settings = this.#settingsOf(count.brand);
    const judged: SeriesJudged[] = [];
    for (const part of parts) {
      if (part.negative < settings.minNegatives) continue; // the cheap check first: most mentions stop here
      const entry = series.get(part.series);
      const parsed = parseSeriesKey(part.series);
      if (entry === undefined || parsed === null) continue;
      if (entry.state.lastAt !== null && count.minute <= entry.state.lastAt) continue;
      const total = parsed.kind === "problem" ? count.total : part.total;
      const { judgement } = detectSpike(entry.state, { at: count.minute, negative: part.negative, total }, settings);
      if (!judgement.spike) continue;
      const outage = outageOf(parsed, (k) => parts.find((p) => p.series === k));
      judged.push({ kind: parsed.kind, name: parsed.name, minute: count.minute, negative: part.negative, ...outage, judgement });
    }
    return judged;
  }

  /** A brand's sub-series as of its last closed minute (to be saved: detector-snapshot.ts); empty for a brand not seen. */
  saved(brand: string): SavedSeries[] {
    return [...(this.#brands.get(brand) ?? [])].map(([key, { state, lastSeenAt }]) => ({ key, state, lastSeenAt }));
  }

  /** Takes a brand's saved sub-series as its own; keys this version does not know are left out. */
  restore(brand: string, saved: readonly SavedSeries[]): void {
    const series = new Map<string, Series>();
    for (const { key, state, lastSeenAt } of saved) if (parseSeriesKey(key) !== null) series.set(key, { state, lastSeenAt });
    // A problem type added since the save starts with the brand's clock, as a new source would.
    const lastAt = saved[0]?.state.lastAt ?? null;
    for (const p of PROBLEM_TYPES) {
      const key = seriesKey("problem", p);
      if (!series.has(key)) series.set(key, { state: initialSpikeState(), lastSeenAt: lastAt ?? 0 });
    }
    this.#brands.set(brand, series);
  }

  /** How many sub-series are kept (for tests and the benchmark). */
  size(): number {
    let n = 0;
    for (const series of this.#brands.values()) n += series.size;
    return n;
  }
}

/** A source's outage reports in the minute, from the parts counted beside it (series-key.ts); nothing for a problem series. */
function outageOf(series: { kind: SeriesKind; name: string }, partOf: (key: string) => SeriesPart | undefined): { outageNegative?: number } {
  return series.kind === "source" ? { outageNegative: partOf(sourceOutageKey(series.name))?.negative ?? 0 } : {};
}
