import type { FlowDeps } from "../../pipeline/flow";
import { IncidentDesk } from "../../pipeline/incidents/incident-desk";
import { compileBrands } from "../../pipeline/stages/match-brands";
import type { Spill } from "../../pipeline/store/spill";
import type { Store } from "../../pipeline/store/store";

/** A logger that says nothing. */
export const silentLog: FlowDeps["log"] = { debug() {}, info() {}, warn() {}, error() {} };

/** The spike settings the flow tests share: no lateness, so a minute closes as soon as the clock passes it. */
export const TEST_SPIKES: FlowDeps["settings"]["spikes"] = { minNegatives: 5, sensitivity: 4, warmupMinutes: 30, latenessMs: 0 };

export type TestFlowOptions = Partial<Omit<FlowDeps, "settings" | "brands">> & {
  store: Store;
  spill: Spill;
  /** The one watched brand (default "Lumio"), matched by its name and any `terms` given. */
  brand?: string;
  terms?: string[];
  settings?: Partial<FlowDeps["settings"]>;
};

/**
 * The flow's dependencies as the flow tests use them: one brand, a fresh
 * incident desk (5 minutes to keep firing), notices dropped, small write
 * batches, silence in the log. Any of it can be given instead.
 */
export function testFlowDeps(options: TestFlowOptions): FlowDeps {
  const { brand = "Lumio", terms = [brand], settings, ...rest } = options;
  return {
    brands: compileBrands([{ name: brand, terms, exclude: [] }]),
    desk: new IncidentDesk(new Map(), { keepFiringMinutes: 5 }),
    notify: async () => {},
    log: silentLog,
    ...rest,
    settings: { maxTextChars: 2_000, writer: { flushMs: 20, maxRows: 500 }, spikes: TEST_SPIKES, ...settings },
  };
}
