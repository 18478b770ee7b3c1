import { bindDatabase } from "./migrate";
import type { SqlRunner } from "./sql-runner";

/** A brand's saved spike detectors as stored: the state is detector-snapshot.ts's JSON, read and checked there. */
export interface DetectorStateRecord {
  brand: string;
  /** Start of the last closed minute the detectors judged, epoch ms. */
  throughMinute: number;
  /** Epoch ms. */
  savedAt: number;
  state: string;
}

/** Where the spike detectors are kept between runs, so a restart replays minutes, not weeks. */
export interface DetectorStateStore {
  /** Upsert by brand: the newest `savedAt` wins. */
  saveDetectorStates(records: readonly DetectorStateRecord[]): Promise<void>;
  /** The newest saved state of each brand. */
  detectorStates(): Promise<DetectorStateRecord[]>;
}

const TABLE = "{db}.detector_states";

const LATEST = `
SELECT brand, toInt64(toUnixTimestamp64Milli(through_minute)) AS through_ms, toInt64(toUnixTimestamp64Milli(saved_at)) AS saved_ms, state
FROM {db}.detector_states FINAL
ORDER BY brand`;

export function detectorStateStore(runner: SqlRunner, database: string): DetectorStateStore {
  const bind = (sql: string) => bindDatabase(sql, database);
  return {
    async saveDetectorStates(records) {
      if (records.length === 0) return;
      await runner.insert(
        bind(TABLE),
        records.map((r) => ({ brand: r.brand, through_minute: r.throughMinute, saved_at: r.savedAt, state: r.state })),
      );
    },
    async detectorStates() {
      const rows = await runner.query<{ brand: string; through_ms: number | string; saved_ms: number | string; state: string }>(bind(LATEST));
      return rows.map((r) => ({ brand: r.brand, throughMinute: Number(r.through_ms), savedAt: Number(r.saved_ms), state: r.state }));
    },
  };
}
