import { randomBytes, timingSafeEqual } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { pathToFileURL } from "node:url";
import { Subject } from "rxjs";
import { createSafeHttp } from "../../collectors/http";
import type { RawMention } from "../../collectors/source";
import { dispatchChange } from "../../pipeline/alerts/dispatch";
import type { Notifier } from "../../pipeline/alerts/notifier";
import { signWebhook, webhookNotifier, type WebhookBody } from "../../pipeline/alerts/webhook";
import { loadConfig } from "../../pipeline/config/load";
import type { Config } from "../../pipeline/config/schema";
import { buildFlow } from "../../pipeline/flow";
import { IncidentDesk } from "../../pipeline/incidents/incident-desk";
import type { IncidentChange, IncidentEvent } from "../../pipeline/incidents/lifecycle";
import { createRootLogger } from "../../pipeline/log";
import type { Incident } from "../../pipeline/mention";
import type { SpikeJudgement } from "../../pipeline/spikes/detect-spike";
import { compileBrands } from "../../pipeline/stages/match-brands";
import { openStore } from "../../pipeline/store/open-store";
import { Spill } from "../../pipeline/store/spill";
import type { Store } from "../../pipeline/store/store";
import { BenchMentions, MINUTE_MS } from "./bench-mentions";
import { fixed, formatSections, median, ms, type Section } from "./figures";

/**
 * Post-to-alert latency: from the first post of a surge entering the pipeline
 * to its signed incident notice arriving at a webhook receiver (a real
 * node:http server on 127.0.0.1), through the same parts pipeline/main.ts
 * wires: buildFlow, embedded chDB, IncidentDesk, SafeHttp + webhookNotifier +
 * deliverNotice. startEarshot itself keeps its mention Subject private (its
 * collectors feed it), so the bench composes those parts the same way and
 * hands mentions in itself, which is what lets it time each one.
 *
 * WHERE THE TIME GOES. The running minute is judged as it grows (MinuteJudge's
 * `running`), so an incident fires inside the next() of the post that takes
 * its minute's negatives past the threshold: no wait for the minute to end,
 * nor for the lateness (spikes.latenessMs), which only holds back judging
 * the closed minute that joins the baseline. What remains is
 *   - the TIPPING TIME, in event time: the surge has to pile up enough
 *     negatives (the judged threshold, at least minNegatives) within one
 *     minute. It is inherent, set by the surge's rate, not by the code. The
 *     bench finds the tipping post as the one being handed in when the desk
 *     says "firing", and checks it against the live bus's sentiment labels:
 *     it should be the N-th negative of its minute, N = the incident's
 *     peakNegative;
 *   - the PROCESSING after the tipping post entered, in wall time.
 * The surge here starts with its minute; one that starts late in a minute may
 * tip only in the next, as the count starts afresh each minute.
 *
 * EVENT TIME. The baseline needs an hour of history and each trial a calm
 * minute before the surge, so by default the mentions are stamped in the past
 * and played at `speed` × real time (60: one event minute per second). The
 * tipping time then shrinks `speed` times in wall time, and the processing
 * does not; the printout gives the tipping time in event time (what it is at
 * real-time pace) beside what it took here. `speed: 1` plays it in real time.
 */
export interface AlertBenchOptions {
  dataDir: string;
  /** Trials, each with its own flow, incident desk and baseline (default 5). */
  trials?: number;
  /** Event time per wall time (default 60; 1 = real time). */
  speed?: number;
  progress?: (line: string) => void;
}

/** How often the paced player hands in what has become due. */
const SLICE_MS = 10;
/** Baseline minutes before the surge: more than warmupMinutes (30), a full baselineMinutes (60) window. */
const HISTORY_MINUTES = 68;
/** Surge minutes: the first should already raise the incident. */
const SURGE_MINUTES = 3;
/** Posts a minute in the surge, as drawn; one in ten is still everyday talk. */
const SURGE_POSTS = { min: 30, max: 40 } as const;
/** Waited for a notice after the played minutes run out, before the trial counts as failed. */
const NOTICE_TIMEOUT_MS = 15_000;

interface Received {
  at: number;
  body: WebhookBody;
  signatureOk: boolean;
}

interface Trial {
  /** Wall ms from the surge's first post entering to the notice received. */
  totalMs: number;
  /** Event ms from the surge's first post to the tipping post (the one handed in when the desk said "firing"). */
  tippingEventMs: number;
  /** Wall ms between those two entering here (tipping time / speed, to the player's slice). */
  tippingWallMs: number;
  /** The surge's rate: negatives a minute, its first minute's posts as the pipeline scored them (live bus). */
  surgeRate: number;
  /** The incident's peakNegative when it fired: the running minute's negatives at that moment. */
  peakNegative: number;
  /** Which negative of its minute the tipping post was, counted from the live bus's labels. */
  tippingRank: number;
  /** The judged threshold and baseline (negatives a minute) that the tipping post crossed. */
  threshold: number;
  baseline: number;
  /** Wall ms from the tipping post entering to the desk's "firing": its stages, the running count, judge, desk. */
  judgeMs: number;
  /** Wall ms from "firing" to the incident saved in chDB (the live bus hears of it then). */
  saveMs: number;
  /** Wall ms from saved to the receiver having the whole request body. */
  deliverMs: number;
  /** Fired by a problem or source signal rather than by the brand's own series. */
  bySignal: boolean;
  /** Did the incident start in the surge's first minute? */
  firstMinute: boolean;
  signatureOk: boolean;
}

export async function benchAlertLatency(options: AlertBenchOptions): Promise<Section[]> {
  const trials = options.trials ?? 5;
  const speed = options.speed ?? 60;
  const progress = options.progress ?? (() => {});
  const receiver = await startReceiver();
  const secret = randomBytes(32).toString("hex");
  receiver.secret = secret;
  // The configuration as an operator would give it: webhook URL and secret in
  // the environment, loopback allowed because the receiver is on 127.0.0.1.
  const { config, secrets } = loadConfig(null, {
    EARSHOT_WEBHOOK_URL: `${receiver.url}/hooks/earshot`,
    EARSHOT_WEBHOOK_SECRET: secret,
    EARSHOT_ALLOW_PRIVATE_NETWORKS: "true",
  });
  const store = await openStore({ kind: "embedded", dataDir: options.dataDir, database: "bench_alerts" });
  const results: Trial[] = [];
  try {
    for (let i = 0; i < trials; i++) {
      progress(`alert latency trial ${i + 1}/${trials} at ${speed}× …`);
      results.push(await runTrial(i, { config, webhookSecret: secrets.webhookSecret!, store, receiver, speed, dataDir: options.dataDir }));
    }
  } finally {
    await store.close();
    await new Promise<void>((resolve) => receiver.server.close(() => resolve()));
  }
  return report(results, { speed, minNegatives: config.spikes.minNegatives });
}

// ---------------------------------------------------------------------------

interface Receiver {
  server: Server;
  url: string;
  secret: string;
  /** The next notice to arrive goes here. */
  onNotice: ((r: Received) => void) | null;
}

/** A webhook endpoint as a team would run one: reads the body, checks the signature, answers 204. */
async function startReceiver(): Promise<Receiver> {
  const receiver: Receiver = { server: createServer(), url: "", secret: "", onNotice: null };
  receiver.server.on("request", (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const at = performance.now();
      const raw = Buffer.concat(chunks).toString("utf8");
      const expected = Buffer.from(signWebhook(receiver.secret, String(req.headers["x-earshot-timestamp"] ?? ""), raw));
      const given = Buffer.from(String(req.headers["x-earshot-signature"] ?? ""));
      const signatureOk = expected.length === given.length && timingSafeEqual(expected, given);
      res.writeHead(signatureOk ? 204 : 401).end();
      receiver.onNotice?.({ at, body: JSON.parse(raw) as WebhookBody, signatureOk });
    });
  });
  await new Promise<void>((resolve) => receiver.server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}`;
  return receiver;
}

interface Timed {
  raw: RawMention;
  publishedAt: number;
  /** Written as a post about the outage (the surge), not everyday talk. */
  outage: boolean;
  /** Wall time (performance.now) it was handed in; NaN until then. */
  enteredAt: number;
  /** Scored negative by the pipeline (seen on the live bus); null until scored, or if it never was. */
  negative: boolean | null;
}

/**
 * The real incident desk, noting the judgement that opened the incident: the
 * flow keeps its MinuteJudge to itself, and the threshold is not part of the
 * incident, yet it is the number the surge had to reach.
 */
class WatchedDesk extends IncidentDesk {
  opening: SpikeJudgement | null = null;
  /** What fired the incident: the brand's minute, or a problem/source signal (running or closed minute). */
  firedBy: IncidentEvent["type"] | null = null;

  override apply(event: IncidentEvent): IncidentChange[] {
    const changes = super.apply(event);
    if (this.firedBy === null && changes.some((c) => c.kind === "firing")) {
      this.firedBy = event.type;
      if (event.type === "minute") this.opening = event.judgement;
      if (event.type === "signals") this.opening = event.signals[0]?.judgement ?? null;
    }
    return changes;
  }
}

async function runTrial(
  index: number,
  { config, webhookSecret, store, receiver, speed, dataDir }: {
    config: Config;
    webhookSecret: string;
    store: Store;
    receiver: Receiver;
    speed: number;
    dataDir: string;
  },
): Promise<Trial> {
  // Played minutes, event time: one calm minute, then the surge, then calm
  // again. The player goes on to the end of the surge's first minute (its
  // negatives give the surge's rate) or to the notice, whichever is later; the
  // rest is there for a surge that takes longer to tip.
  const playedMs = (1 + SURGE_MINUTES + 1) * MINUTE_MS;
  // The played part starts at e0 and must never be in the future when handed
  // in (normalize refuses posts from the future): at `speed`, event time gains
  // playedMs × (1 − 1/speed) on the wall clock, so start that much earlier.
  const e0 = floorMinute(Date.now() - playedMs * (1 - 1 / speed));
  const surge = e0 + MINUTE_MS;
  const source = new BenchMentions(1_000 + index, `alert-${index}-${Date.now().toString(36)}`);

  // The brand's recent past: 2–6 everyday posts a minute, a few of them negative.
  const history: RawMention[] = [];
  for (let m = e0 - HISTORY_MINUTES * MINUTE_MS; m < e0; m += MINUTE_MS) {
    for (const offset of offsets(source, source.int(2, 6))) history.push(source.mixed("calm", m + offset));
  }
  // The played part: a calm minute, then the outage at 30–40 posts a minute
  // (one in ten still everyday talk), then calm again.
  const played: Timed[] = [];
  for (let m = e0; m < e0 + playedMs; m += MINUTE_MS) {
    const inSurge = m >= surge && m < surge + SURGE_MINUTES * MINUTE_MS;
    for (const offset of offsets(source, inSurge ? source.int(SURGE_POSTS.min, SURGE_POSTS.max) : source.int(2, 6))) {
      const outage = inSurge && source.next() >= 0.1;
      const publishedAt = m + offset;
      played.push({ raw: source.mixed(outage ? "outage" : "calm", publishedAt), publishedAt, outage, enteredAt: NaN, negative: null });
    }
  }

  // Wired as pipeline/main.ts wires it. A SafeHttp of its own per trial: real
  // alerts come hours apart, long after any kept-alive connection has closed,
  // so each notice pays for a fresh connection as it would in production.
  const http = createSafeHttp({
    allowPrivateNetworks: config.http.allowPrivateNetworks,
    timeoutMs: config.http.timeoutMs,
    maxBytes: config.http.maxBytes,
  });
  const notifiers: Notifier[] = [webhookNotifier({ url: config.alerts.webhook!.url, secret: webhookSecret }, http)];
  // As run-pipeline.ts does: one notice per contact, silences read from the store.
  const contacts = notifiers.map((notifier) => ({ name: notifier.channel, notifier, lang: null }));
  const notify = (change: IncidentChange) =>
    dispatchChange(change, { contacts, store, now: Date.now }, { lang: config.alerts.lang, timeZone: config.alerts.timeZone });
  const desk = new WatchedDesk(new Map(), { keepFiringMinutes: config.spikes.keepFiringMinutes });
  const raw$ = new Subject<RawMention>();
  const flow = buildFlow(raw$, {
    store,
    spill: new Spill(join(dataDir, `spill-alerts-${index}`)),
    brands: compileBrands(config.brands),
    desk,
    notify,
    settings: { maxTextChars: config.pipeline.maxTextChars, writer: config.pipeline.writer, spikes: config.spikes },
    log: createRootLogger("warn").child({ component: "bench" }),
  });

  // The moments in between, seen from outside the stages. The stages run
  // synchronously, so whatever happens inside raw$.next(item) belongs to the
  // post in hand: its sentiment on the live bus and, if it tips the running
  // minute, the desk's "firing". The live bus's incident event comes later,
  // once the incident is saved in chDB.
  let inHand: Timed | null = null;
  /** The last post handed in: when a minute closing on the tick fires the incident, the reference instead of a tipping post. */
  let lastEntered: Timed | null = null;
  let tipping: Timed | null = null;
  let firingAt = NaN;
  let savedAt = NaN;
  let firing: Incident | null = null;
  desk.changes$.subscribe((c) => {
    if (c.kind === "firing" && firing === null) {
      firingAt = performance.now();
      firing = c.incident;
      tipping = inHand ?? lastEntered;
    }
  });
  flow.live$.subscribe((e) => {
    if (e.type === "mention" && inHand !== null) inHand.negative = e.mention.sentiment.label === "negative";
    if (e.type === "incident" && e.incident.state === "firing" && Number.isNaN(savedAt)) savedAt = performance.now();
  });
  const graphDone = new Promise<void>((resolve) => flow.live$.subscribe({ complete: resolve, error: () => resolve() }));
  const received = new Promise<Received>((resolve) => {
    receiver.onNotice = (r) => {
      if (r.body.event === "firing") resolve(r);
    };
  });
  let notice: Received | null = null;
  void received.then((r) => (notice = r));
  const subscription = flow.start();

  // Catch-up, as when a collector first fetches a brand's last hour: all at once.
  for (const raw of history) raw$.next(raw);

  // Then the played minutes, each mention handed in when its moment comes. The
  // surge goes on while the incident is saved and sent, as it would.
  const w0 = performance.now();
  let next = 0;
  while (next < played.length && (notice === null || played[next]!.publishedAt < surge + MINUTE_MS)) {
    const due = w0 + (played[next]!.publishedAt - e0) / speed;
    const now = performance.now();
    if (due > now) {
      await sleep(Math.min(SLICE_MS, due - now));
      continue;
    }
    while (next < played.length && w0 + (played[next]!.publishedAt - e0) / speed <= performance.now()) {
      const item = played[next++]!;
      inHand = item;
      item.enteredAt = performance.now();
      raw$.next(item.raw);
      inHand = null;
      lastEntered = item;
    }
    await sleep(SLICE_MS);
  }
  const giveUp = new AbortController();
  const got = await Promise.race([
    received,
    sleep(NOTICE_TIMEOUT_MS, null, { signal: giveUp.signal }).catch(() => null),
  ]);
  giveUp.abort(); // a pending timer would keep the process alive after the last trial
  raw$.complete();
  await flow.settled();
  await graphDone; // the delivery is recorded in chDB before the graph ends
  subscription.unsubscribe();
  receiver.onNotice = null;
  await http.close();
  if (got === null || firing === null) throw new Error(`trial ${index}: no incident notice arrived`);
  // Narrowed by hand: TypeScript cannot see the subscriber above assign them.
  const fired = firing as Incident;
  const tipped = tipping as Timed | null;
  const opening = desk.opening;
  // A running minute (the brand's, or a problem or source series a post counts
  // in) fires inside that post's next(); a closed minute fires on the 1 s tick,
  // and is then timed from the last post handed in before it.
  if (tipped === null) throw new Error(`trial ${index}: the incident fired before any post was handed in`);

  // Timed from the surge's first post (about the outage, not everyday talk)
  // to the post that tipped the running minute.
  const first = played.find((p) => p.outage)!;
  const inMinute = played.filter((p) => p.publishedAt >= fired.startedAt && p.publishedAt <= tipped.publishedAt);
  return {
    totalMs: got.at - first.enteredAt,
    tippingEventMs: tipped.publishedAt - first.publishedAt,
    tippingWallMs: tipped.enteredAt - first.enteredAt,
    surgeRate: played.filter((p) => p.publishedAt >= surge && p.publishedAt < surge + MINUTE_MS && p.negative === true).length,
    peakNegative: fired.peakNegative,
    tippingRank: tipped.negative === true ? inMinute.filter((p) => p.negative === true).length : 0,
    threshold: opening?.threshold ?? NaN,
    baseline: opening?.baseline ?? NaN,
    bySignal: desk.firedBy === "signals",
    judgeMs: firingAt - tipped.enteredAt,
    saveMs: savedAt - firingAt,
    deliverMs: got.at - savedAt,
    firstMinute: fired.startedAt === surge,
    signatureOk: got.signatureOk,
  };
}

const floorMinute = (t: number) => t - (t % MINUTE_MS);

/** `n` random moments inside a minute, in order. */
function offsets(source: BenchMentions, n: number): number[] {
  return Array.from({ length: n }, () => source.int(0, MINUTE_MS - 1)).sort((a, b) => a - b);
}

// ---------------------------------------------------------------------------

function report(trials: readonly Trial[], { speed, minNegatives }: { speed: number; minNegatives: number }): Section[] {
  const col = (pick: (t: Trial) => number) => trials.map(pick);
  const medMax = (values: number[]) => `${ms(median(values))} / ${ms(Math.max(...values))}`;
  const processing = col((t) => t.totalMs - t.tippingWallMs);
  const tipping = median(col((t) => t.tippingEventMs));
  const rate = median(col((t) => t.surgeRate));
  const needed = median(col((t) => t.peakNegative));
  const rankAgrees = trials.filter((t) => t.tippingRank === t.peakNegative).length;
  const bySignal = trials.filter((t) => t.bySignal).length;
  const running = trials.filter((t) => Number.isFinite(t.threshold));
  const pace = speed === 1 ? "real time" : `${speed}× real time (publishedAt in the past)`;
  return [
    {
      title: `Post-to-alert latency: first post of the surge in → signed webhook notice received on 127.0.0.1 (${trials.length} trial${trials.length === 1 ? "" : "s"}, event time played at ${pace})`,
      figures: [
        {
          label: `(a) measured here, median / max`,
          value: medMax(col((t) => t.totalMs)),
          note: speed === 1 ? "wall time" : `wall time; the tipping time below is compressed ${speed}× in it`,
        },
        {
          label: "(b) tipping time, event time, median / max",
          value: medMax(col((t) => t.tippingEventMs)),
          note: "surge's first post → the post that took its running minute past the threshold; inherent: the negatives must pile up",
        },
        {
          label: "    fired by",
          value: `${trials.length - bySignal} brand minute / ${bySignal} problem or source signal`,
          note: "the brand's series, or a problem/source series (the threshold below is then that series'); both are judged on the running minute",
        },
        {
          label: "    negatives needed (peakNegative at firing), median",
          value: fixed(needed, 0),
          note:
            running.length === 0
              ? "no judged threshold recorded"
              : `judged threshold ${fixed(median(running.map((t) => t.threshold)), 1)} over a baseline of ${fixed(median(running.map((t) => t.baseline)), 1)} a minute ` +
                `(never below minNegatives ${minNegatives}); tipping post = that negative of its minute on the live bus: ${rankAgrees}/${trials.length}`,
        },
        {
          label: "    tipping time as played here, median",
          value: ms(median(col((t) => t.tippingWallMs))),
          note: speed === 1 ? "real time: the same as the event time" : `≈ tipping time / ${speed}, to the ${SLICE_MS} ms step of the player`,
        },
        {
          label: "(b) processing after the tipping post entered, median / max",
          value: medMax(processing),
          note: "wall time, whatever the pace",
        },
        { label: "    stages + running count + judge + incident desk", value: medMax(col((t) => t.judgeMs)), note: "synchronous, inside the tipping post's own next()" },
        { label: "    save incident in chDB", value: medMax(col((t) => t.saveMs)), note: "incidents are saved before anyone is told" },
        { label: "    notice text + signed POST + body received", value: medMax(col((t) => t.deliverMs)), note: "fresh connection each time" },
        {
          label: "at real-time pace: post → alert ≈ tipping time + processing",
          value: `${ms(tipping)} + ${ms(median(processing))}`,
          note:
            `the surge: ${fixed(rate, 0)} negatives a minute as scored (${SURGE_POSTS.min}–${SURGE_POSTS.max} posts, 9 in 10 about the outage); ` +
            `${fixed(needed, 0)} ÷ ${fixed(rate, 0)} a minute ≈ ${ms((needed / rate) * MINUTE_MS)}, the mean from the surge's start; half the rate, twice the time`,
        },
        {
          label: "spike raised by the surge's first minute",
          value: `${trials.filter((t) => t.firstMinute).length}/${trials.length}`,
          note: `signatures verified ${trials.filter((t) => t.signatureOk).length}/${trials.length}`,
        },
      ],
    },
  ];
}

// `npx tsx test/bench/alert-latency.bench.ts [speed]` runs this part alone.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dataDir = mkdtempSync(join(tmpdir(), "earshot-bench-"));
  const speed = process.argv[2] === undefined ? undefined : Number(process.argv[2]);
  try {
    const sections = await benchAlertLatency({ dataDir, ...(speed === undefined ? {} : { speed, trials: speed === 1 ? 1 : 5 }), progress: (line) => console.error(line) });
    console.log(formatSections(sections));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
