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
import { deliverNotice } from "../../pipeline/alerts/deliver";
import { noticeText } from "../../pipeline/alerts/notice-text";
import type { Notifier } from "../../pipeline/alerts/notifier";
import { signWebhook, webhookNotifier, type WebhookBody } from "../../pipeline/alerts/webhook";
import { loadConfig } from "../../pipeline/config/load";
import type { Config } from "../../pipeline/config/schema";
import { buildFlow } from "../../pipeline/flow";
import { IncidentDesk } from "../../pipeline/incidents/incident-desk";
import type { IncidentChange } from "../../pipeline/incidents/lifecycle";
import { createRootLogger } from "../../pipeline/log";
import { compileBrands } from "../../pipeline/stages/match-brands";
import { openStore } from "../../pipeline/store/open-store";
import { Spill } from "../../pipeline/store/spill";
import type { Store } from "../../pipeline/store/store";
import { BenchMentions, MINUTE_MS } from "./bench-mentions";
import { fixed, formatSections, median, ms, type Section } from "./figures";

/**
 * Post-to-alert latency: from the first mention of a spiking minute entering
 * the pipeline to its signed incident notice arriving at a webhook receiver (a
 * real node:http server on 127.0.0.1), through the same parts pipeline/main.ts
 * wires: buildFlow, embedded chDB, IncidentDesk, SafeHttp + webhookNotifier +
 * deliverNotice. startEarshot itself keeps its mention Subject private (its
 * collectors feed it), so the bench composes those parts the same way and
 * hands mentions in itself, which is what lets it time each one.
 *
 * EVENT TIME. A minute is judged only once it is over and the allowed
 * lateness (spikes.latenessMs, 60 s by default) has passed in event time:
 * that wait is designed, not overhead. Played in real time it makes each
 * trial last about two minutes, so by default the mentions are stamped in the
 * past and played at `speed` × real time (60: one event minute per second).
 * The minute then closes when the stream's event time has moved past it plus
 * the lateness, exactly as in production, only sooner in wall time. The bench
 * reports the designed wait in event time (what it is at real-time pace) and
 * the processing after it in wall time (which speed does not change).
 * `speed: 1` plays it in real time.
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
/** Waited for a notice after the played minutes run out, before the trial counts as failed. */
const NOTICE_TIMEOUT_MS = 15_000;

interface Received {
  at: number;
  body: WebhookBody;
  signatureOk: boolean;
}

interface Trial {
  /** Wall ms from the first mention of the spiking minute entering to the notice received. */
  totalMs: number;
  /** Event ms the design makes that mention wait: to the minute's end, plus the lateness. */
  designedWaitEventMs: number;
  /** Wall ms that wait took here (designed wait / speed, to the player's slice). */
  waitWallMs: number;
  /** Wall ms from the mention that moved the watermark past the minute to the desk's "firing". */
  closeMs: number;
  /** Wall ms from "firing" to the incident saved in chDB (the live bus hears of it then). */
  saveMs: number;
  /** Wall ms from saved to the receiver having the whole request body. */
  deliverMs: number;
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
  return report(results, { speed, latenessMs: config.spikes.latenessMs });
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
  /** Wall time (performance.now) it was handed in; NaN until then. */
  enteredAt: number;
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
  const latenessMs = config.spikes.latenessMs;
  // Played minutes, event time: one calm minute, then the surge, then enough
  // to carry the watermark past the surge's minutes.
  const playedMs = (1 + SURGE_MINUTES + 1) * MINUTE_MS + latenessMs;
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
    for (const offset of offsets(source, inSurge ? source.int(30, 40) : source.int(2, 6))) {
      const phase = inSurge && source.next() >= 0.1 ? "outage" : "calm";
      const publishedAt = m + offset;
      if (publishedAt < e0 + playedMs) played.push({ raw: source.mixed(phase, publishedAt), publishedAt, enteredAt: NaN });
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
  const notify = async (change: IncidentChange) => {
    if (change.kind === "updated") return;
    const text = noticeText(change.kind, change.incident, config.alerts.lang, config.alerts.timeZone);
    const notice = { event: change.kind, incident: change.incident, text, lang: config.alerts.lang, link: null };
    await Promise.all(notifiers.map((n) => deliverNotice(n, notice, store)));
  };
  const desk = new IncidentDesk(new Map(), { keepFiringMinutes: config.spikes.keepFiringMinutes });
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

  // The moments in between, seen from outside the stages: the desk's change
  // (synchronous with the minute closing) and the live bus's incident event
  // (sent once the incident is saved in chDB).
  let firingAt = NaN;
  let savedAt = NaN;
  let incidentStart = NaN;
  desk.changes$.subscribe((c) => {
    if (c.kind === "firing" && Number.isNaN(firingAt)) {
      firingAt = performance.now();
      incidentStart = c.incident.startedAt;
    }
  });
  flow.live$.subscribe((e) => {
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

  // Then the played minutes, each mention handed in when its moment comes.
  const w0 = performance.now();
  let next = 0;
  while (next < played.length && notice === null) {
    const due = w0 + (played[next]!.publishedAt - e0) / speed;
    const now = performance.now();
    if (due > now) {
      await sleep(Math.min(SLICE_MS, due - now));
      continue;
    }
    while (next < played.length && w0 + (played[next]!.publishedAt - e0) / speed <= performance.now()) {
      const item = played[next++]!;
      item.enteredAt = performance.now();
      raw$.next(item.raw);
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
  if (got === null || Number.isNaN(incidentStart)) throw new Error(`trial ${index}: no incident notice arrived`);

  // Timed from the minute that raised the incident, whichever it was.
  const first = played.find((p) => p.publishedAt >= incidentStart && p.publishedAt < incidentStart + MINUTE_MS)!;
  const closes = incidentStart + MINUTE_MS + latenessMs;
  const closer = played.find((p) => p.publishedAt >= closes && !Number.isNaN(p.enteredAt));
  // The 1 s tick can close the minute from wall time alone (usual in real-time
  // play, where the watermark also moves with the wall clock); then the wait
  // ends at "firing" and closing counts as no time of its own.
  const closedAt = closer !== undefined && closer.enteredAt <= firingAt ? closer.enteredAt : firingAt;
  return {
    totalMs: got.at - first.enteredAt,
    designedWaitEventMs: closes - first.publishedAt,
    waitWallMs: closedAt - first.enteredAt,
    closeMs: firingAt - closedAt,
    saveMs: savedAt - firingAt,
    deliverMs: got.at - savedAt,
    firstMinute: incidentStart === surge,
    signatureOk: got.signatureOk,
  };
}

const floorMinute = (t: number) => t - (t % MINUTE_MS);

/** `n` random moments inside a minute, in order. */
function offsets(source: BenchMentions, n: number): number[] {
  return Array.from({ length: n }, () => source.int(0, MINUTE_MS - 1)).sort((a, b) => a - b);
}

// ---------------------------------------------------------------------------

function report(trials: readonly Trial[], { speed, latenessMs }: { speed: number; latenessMs: number }): Section[] {
  const col = (pick: (t: Trial) => number) => trials.map(pick);
  const medMax = (values: number[]) => `${ms(median(values))} / ${ms(Math.max(...values))}`;
  const processing = col((t) => t.totalMs - t.waitWallMs);
  const designed = median(col((t) => t.designedWaitEventMs));
  const pace = speed === 1 ? "real time" : `${speed}× real time (publishedAt in the past)`;
  return [
    {
      title: `Post-to-alert latency: first mention of the spiking minute in → signed webhook notice received on 127.0.0.1 (${trials.length} trial${trials.length === 1 ? "" : "s"}, event time played at ${pace})`,
      figures: [
        {
          label: `(a) measured here, median / max`,
          value: medMax(col((t) => t.totalMs)),
          note: speed === 1 ? "wall time" : `wall time; the designed wait below is compressed ${speed}× in it`,
        },
        {
          label: "(b) designed wait, event time (median)",
          value: ms(designed),
          note: `rest of the minute + lateness ${fixed(latenessMs / 1000, 0)} s: ${fixed(latenessMs / 1000, 0)}–${fixed((latenessMs + MINUTE_MS) / 1000, 0)} s by where the first post falls; wall time in real-time play`,
        },
        {
          label: "    that wait as played here, median",
          value: ms(median(col((t) => t.waitWallMs))),
          note:
            speed === 1
              ? "plus up to 1 s: in real time the watermark's 1 s tick usually closes the minute"
              : `≈ designed / ${speed}, to the ${SLICE_MS} ms step of the player`,
        },
        {
          label: "(b) processing after the minute closes, median / max",
          value: medMax(processing),
          note: "wall time, whatever the pace",
        },
        { label: "    close minute + judge + incident desk", value: medMax(col((t) => t.closeMs)), note: "synchronous, in the next() or tick that closes the minute" },
        { label: "    save incident in chDB", value: medMax(col((t) => t.saveMs)), note: "incidents are saved before anyone is told" },
        { label: "    notice text + signed POST + body received", value: medMax(col((t) => t.deliverMs)), note: "fresh connection each time" },
        {
          label: "at real-time pace: post → alert ≈ (b) wait + processing",
          value: `${ms(designed)} + ${ms(median(processing))}`,
          note: "the wait dominates: the lateness setting plus the rest of the minute",
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
