import type { IncidentSignal } from "../mention";
import { bindDatabase } from "./migrate";
import type { SqlRunner } from "./sql-runner";

/** One tick (or untick) of a playbook checklist item of an incident. */
export interface PlaybookTickRecord {
  incidentKey: string;
  playbookId: string;
  /** Index in the playbook's checklist (the same in every language). */
  item: number;
  checked: boolean;
  /** The user who ticked it. */
  by: string;
  /** Epoch ms. */
  at: number;
}

/** An incident's signals and its playbook ticks (migration 0012). */
export interface IncidentSignalsStore {
  /** Upserts each signal of one incident by (kind, name). */
  saveIncidentSignals(incidentKey: string, signals: readonly IncidentSignal[]): Promise<void>;
  /** Signals of the given incidents by key, in the order they joined. */
  incidentSignals(incidentKeys: readonly string[]): Promise<Map<string, IncidentSignal[]>>;
  savePlaybookTick(tick: PlaybookTickRecord): Promise<void>;
  /** The latest tick of each item of one incident, by playbook then item. */
  playbookTicks(incidentKey: string): Promise<PlaybookTickRecord[]>;
}

const SIGNALS = "{db}.incident_signals";
const TICKS = "{db}.playbook_ticks";

const SIGNALS_OF = `
SELECT
    incident_key, kind, name,
    toUnixTimestamp64Milli(first_at) AS first_at_ms,
    toUnixTimestamp64Milli(last_spike_at) AS last_spike_at_ms,
    peak_negative, peak_score, score, baseline, inhibited
FROM {db}.incident_signals FINAL
WHERE has({keys:Array(String)}, incident_key)
ORDER BY incident_key, first_at, kind, name`;

const TICKS_OF = `
SELECT incident_key, playbook_id, item, checked, by, toUnixTimestamp64Milli(at) AS at_ms
FROM {db}.playbook_ticks FINAL
WHERE incident_key = {key:String}
ORDER BY playbook_id, item`;

interface SignalRow {
  incident_key: string;
  kind: string;
  name: string;
  first_at_ms: number;
  last_spike_at_ms: number;
  peak_negative: number;
  peak_score: number;
  score: number;
  baseline: number;
  inhibited: number;
}

export function incidentSignalsStore(runner: SqlRunner, database: string): IncidentSignalsStore {
  const signalsTable = bindDatabase(SIGNALS, database);
  const ticksTable = bindDatabase(TICKS, database);
  const signalsOf = bindDatabase(SIGNALS_OF, database);
  const ticksOf = bindDatabase(TICKS_OF, database);
  // Later saves win even within one millisecond (ReplacingMergeTree keeps the highest version).
  let last = 0;
  const version = () => (last = Math.max(Date.now() * 1000, last + 1));

  return {
    async saveIncidentSignals(incidentKey, signals) {
      if (signals.length === 0) return;
      const v = version();
      await runner.insert(
        signalsTable,
        signals.map((s) => ({
          incident_key: incidentKey,
          kind: s.kind,
          name: s.name,
          first_at: s.firstAt,
          last_spike_at: s.lastSpikeAt,
          peak_negative: s.peakNegative,
          peak_score: s.peakScore,
          score: s.score,
          baseline: s.baseline,
          inhibited: s.inhibited ? 1 : 0,
          version: v,
        })),
      );
    },

    async incidentSignals(incidentKeys) {
      const found = new Map<string, IncidentSignal[]>();
      if (incidentKeys.length === 0) return found;
      const rows = await runner.query<SignalRow>(signalsOf, { keys: [...incidentKeys] });
      for (const r of rows) {
        const kind = r.kind === "problem" || r.kind === "source" ? r.kind : "brand";
        let list = found.get(r.incident_key);
        if (list === undefined) found.set(r.incident_key, (list = []));
        list.push({
          kind,
          name: r.name,
          firstAt: Number(r.first_at_ms),
          lastSpikeAt: Number(r.last_spike_at_ms),
          peakNegative: Number(r.peak_negative),
          peakScore: Number(r.peak_score),
          score: Number(r.score),
          baseline: Number(r.baseline),
          inhibited: Number(r.inhibited) === 1,
        });
      }
      return found;
    },

    async savePlaybookTick(t) {
      await runner.insert(ticksTable, [
        {
          incident_key: t.incidentKey,
          playbook_id: t.playbookId,
          item: t.item,
          checked: t.checked ? 1 : 0,
          by: t.by,
          at: t.at,
          version: version(),
        },
      ]);
    },

    async playbookTicks(incidentKey) {
      const rows = await runner.query<{ incident_key: string; playbook_id: string; item: number; checked: number; by: string; at_ms: number }>(
        ticksOf,
        { key: incidentKey },
      );
      return rows.map((r) => ({
        incidentKey: r.incident_key,
        playbookId: r.playbook_id,
        item: Number(r.item),
        checked: Number(r.checked) === 1,
        by: r.by,
        at: Number(r.at_ms),
      }));
    },
  };
}
