import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Subject } from "rxjs";
import { startDashboard } from "../../dashboard/server/start-dashboard";
import type { LiveEvent, ScoredMention } from "../../pipeline/mention";
import { openStore } from "../../pipeline/store/open-store";

/**
 * The server side of the WebSocket fan-out benchmark, in its own process so
 * that its CPU time (process.cpuUsage) is the dashboard's alone, not the
 * benchmark clients'. Talks to the parent over IPC:
 *   → { ready, url, username, password }
 *   ← { run: { rate, seconds } }   emit `rate` mentions a second for `seconds`
 *   → { done: { emitted, cpuUserMs, cpuSystemMs, wallMs } }   (CPU until the last flush went out; wall time of the emitting)
 *   ← { stop: true }
 */

const USERNAME = "bench";
const PASSWORD = "bench-password-for-fan-out";
const TICK_MS = 10;

const dir = await mkdtemp(join(tmpdir(), "earshot-fanout-"));
const store = await openStore({ kind: "embedded", dataDir: dir });
const events = new Subject<LiveEvent>();
const log = { debug() {}, info() {}, warn() {}, error: (obj: object, msg?: string) => console.error(msg, obj) };
const dashboard = await startDashboard(
  {
    store,
    events$: events,
    acknowledge: async () => null,
    users: [{ username: USERNAME, password: PASSWORD, role: "viewer" }],
    sessionSecret: "fan-out-benchmark-session-secret-0123456789",
    staticDir: dir,
    log,
    now: () => Date.now(),
  },
  { host: "127.0.0.1", port: 0, live: { maxClients: 10_000 } },
);
process.send!({ ready: true, url: dashboard.url, username: USERNAME, password: PASSWORD });

let seq = 0;
function mention(now: number): ScoredMention {
  seq++;
  return {
    id: `bench:${seq}`,
    source: "bench",
    sourceId: String(seq),
    url: `https://example.com/p/${seq}`,
    authorHandle: "@author",
    authorName: "Author",
    authorFollowers: 1_000,
    title: "",
    text: "Lumio znowu nie działa od rana, aplikacja się nie ładuje i nikt nie odpowiada na zgłoszenia",
    publishedAt: now,
    // The clients measure delivery from here: same machine, same clock.
    collectedAt: now,
    claimedLang: "",
    rating: null,
    brand: "Lumio",
    matchedTerms: ["Lumio"],
    lang: "pl",
    sentiment: { score: -0.8, label: "negative", confidence: 0.9, terms: ["nie działa"] },
    problems: [{ type: "outage", terms: ["nie działa"] }],
  };
}

process.on("message", (message: { run?: { rate: number; seconds: number }; stop?: boolean }) => {
  if (message.stop) {
    void (async () => {
      await dashboard.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
      process.exit(0);
    })();
    return;
  }
  if (!message.run) return;
  const { rate, seconds } = message.run;
  const total = rate * seconds;
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  let emitted = 0;
  // Emit on a fixed schedule: at each tick, as many as are due by now.
  const timer = setInterval(() => {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate));
    const now = Date.now();
    while (emitted < due) {
      events.next({ type: "mention", mention: mention(now) });
      emitted++;
    }
    if (emitted >= total) {
      clearInterval(timer);
      const wallMs = performance.now() - started;
      // Let the last flush window go out before reading the CPU time.
      setTimeout(() => {
        const cpu = process.cpuUsage(cpuStart);
        process.send!({
          done: { emitted, cpuUserMs: cpu.user / 1000, cpuSystemMs: cpu.system / 1000, wallMs },
        });
      }, 1_000);
    }
  }, TICK_MS);
});
