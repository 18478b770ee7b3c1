import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createSafeHttp, DEFAULT_PER_HOST_CONCURRENCY } from "../../collectors/http";
import { rss, rssOptions } from "../../collectors/rss/rss";
import type { Cursor, Logger, PollContext } from "../../collectors/source";
import { fixed, formatSections, int, ms, type Section } from "./figures";

/**
 * 500 RSS feeds polled at once through the real RSS source and SafeHttp, the
 * way the scheduler would poll them if every tick fired together. The feeds
 * are served by 20 HTTP servers on 127.0.0.1, each on its own port: SafeHttp
 * keys its per-host queues by host:port, so these are 20 hosts to it, each
 * with 25 feeds. Every server counts the requests it is answering at once;
 * the highest count must stay at or below SafeHttp's per-host concurrency.
 *
 * Bodies are the recorded feeds of test/fixtures/payloads/rss/ (Atom, RSS in
 * UTF-8, ISO-8859-2, windows-1251 and KOI8-R, JSON Feed), answered after a
 * fixed delay so that requests overlap as they do against real servers.
 * Round 1 fetches and parses every feed; round 2 polls again with the
 * cursors, and the servers answer 304 to the ETag each feed sent.
 * Servers and client share this process, so wall time includes the serving.
 *
 * Run alone: `npx tsx test/bench/feeds.bench.ts`.
 */

const FEEDS = 500;
const HOSTS = 20;
/** Server think time per response: enough for requests to queue up per host. */
const RESPONSE_DELAY_MS = 20;
/** The limit under test: SafeHttp's default, which the RSS source (stating no budget of its own) gets. */
const PER_HOST_LIMIT = DEFAULT_PER_HOST_CONCURRENCY;
const MEMORY_SAMPLE_MS = 5;

const PAYLOADS = fileURLToPath(new URL("../fixtures/payloads/rss/", import.meta.url));
const FIXTURES: readonly { file: string; contentType: string }[] = [
  { file: "atom.xml", contentType: "application/atom+xml" },
  { file: "google-alerts.xml", contentType: "application/atom+xml; charset=utf-8" },
  { file: "reddit.xml", contentType: "application/atom+xml; charset=UTF-8" },
  // No charset in the header: the XML prolog decides, as with many Polish and Russian sites.
  { file: "polish-news.iso-8859-2.xml", contentType: "application/rss+xml" },
  { file: "russian-news.windows-1251.xml", contentType: "application/rss+xml" },
  { file: "russian-forum.koi8-r.xml", contentType: "text/xml" },
  { file: "json-feed.json", contentType: "application/feed+json" },
];

interface FeedHost {
  server: Server;
  baseUrl: string;
  inFlight: number;
  maxInFlight: number;
  requests: number;
  notModified: number;
}

async function startHost(bodies: readonly Buffer[]): Promise<FeedHost> {
  const host: FeedHost = { server: createServer(), baseUrl: "", inFlight: 0, maxInFlight: 0, requests: 0, notModified: 0 };
  host.server.on("request", (req, res) => {
    host.requests++;
    host.inFlight++;
    host.maxInFlight = Math.max(host.maxInFlight, host.inFlight);
    res.on("close", () => host.inFlight--);
    const n = Number(/^\/feeds\/(\d+)$/.exec(req.url ?? "")?.[1] ?? -1);
    const fixture = FIXTURES[n % FIXTURES.length];
    const body = bodies[n % FIXTURES.length];
    setTimeout(() => {
      if (fixture === undefined || body === undefined) {
        res.writeHead(404).end();
        return;
      }
      const etag = `"feed-${n}-v1"`;
      if (req.headers["if-none-match"] === etag) {
        host.notModified++;
        res.writeHead(304, { etag }).end();
        return;
      }
      res.writeHead(200, { "content-type": fixture.contentType, "content-length": String(body.length), etag }).end(body);
    }, RESPONSE_DELAY_MS);
  });
  await new Promise<void>((resolve) => host.server.listen(0, "127.0.0.1", resolve));
  host.baseUrl = `http://127.0.0.1:${(host.server.address() as AddressInfo).port}`;
  return host;
}

/** Samples RSS and heap every few ms while `work` runs. */
async function withMemoryPeak<T>(work: () => Promise<T>): Promise<{ result: T; peakRss: number; peakHeap: number; ms: number }> {
  let peakRss = 0;
  let peakHeap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  sample();
  const timer = setInterval(sample, MEMORY_SAMPLE_MS);
  const started = performance.now();
  try {
    const result = await work();
    const elapsed = performance.now() - started;
    sample();
    return { result, peakRss, peakHeap, ms: elapsed };
  } finally {
    clearInterval(timer);
  }
}

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const mib = (bytes: number) => `${fixed(bytes / 2 ** 20, 1)} MiB`;

export async function benchFeeds(opts: { progress(line: string): void }): Promise<Section[]> {
  const bodies = FIXTURES.map((f) => readFileSync(`${PAYLOADS}${f.file}`));
  const hosts = await Promise.all(Array.from({ length: HOSTS }, () => startHost(bodies)));
  const http = createSafeHttp({ allowPrivateNetworks: true, perHostConcurrency: PER_HOST_LIMIT, maxAttempts: 1 });
  const feeds = Array.from({ length: FEEDS }, (_, i) => rssOptions.parse({ url: `${hosts[i % HOSTS]?.baseUrl}/feeds/${i}` }));
  // One signal per poll, as the scheduler gives each poll its own.
  const ctx = (): PollContext => ({ http, now: () => new Date(), log: quiet, signal: new AbortController().signal, credentials: {} });

  try {
    const baseline = process.memoryUsage();
    const pollAll = async (cursors: readonly (Cursor | null)[]) => {
      const pages = await Promise.allSettled(feeds.map((options, i) => rss.poll(options, cursors[i] ?? null, ctx())));
      const failed = pages.filter((p) => p.status === "rejected");
      if (failed.length > 0) throw new Error(`${failed.length} of ${FEEDS} polls failed; first: ${String((failed[0] as PromiseRejectedResult).reason)}`);
      return pages.map((p) => (p as PromiseFulfilledResult<Awaited<ReturnType<typeof rss.poll>>>).value);
    };

    opts.progress(`feeds: round 1, ${FEEDS} feeds on ${HOSTS} hosts`);
    const first = await withMemoryPeak(() => pollAll([]));
    const mentions = first.result.reduce((n, p) => n + p.mentions.length, 0);
    const maxFirst = Math.max(...hosts.map((h) => h.maxInFlight));
    for (const h of hosts) h.maxInFlight = 0;

    opts.progress("feeds: round 2, conditional GETs with the cursors");
    const second = await withMemoryPeak(() => pollAll(first.result.map((p) => p.cursor)));
    const again = second.result.reduce((n, p) => n + p.mentions.length, 0);
    const maxSecond = Math.max(...hosts.map((h) => h.maxInFlight));
    const requests = hosts.reduce((n, h) => n + h.requests, 0);
    const notModified = hosts.reduce((n, h) => n + h.notModified, 0);
    const within = Math.max(maxFirst, maxSecond) <= PER_HOST_LIMIT;
    // At the limit, each host's 25 feeds take ceil(25 / limit) rounds of RESPONSE_DELAY_MS: the floor under the wall time.
    const floorMs = Math.ceil(FEEDS / HOSTS / PER_HOST_LIMIT) * RESPONSE_DELAY_MS;

    return [
      {
        title: `RSS polling: ${FEEDS} feeds on ${HOSTS} hosts (127.0.0.1, one port each) through the RSS source and SafeHttp`,
        figures: [
          { label: "round 1 wall time (fetch + decode + parse)", value: ms(first.ms), note: `${int(mentions)} mentions; ${fixed(FEEDS / (first.ms / 1000), 0)} feeds/s; servers answer after ${RESPONSE_DELAY_MS} ms, so ${floorMs} ms is the floor at the limit` },
          { label: "round 2 wall time (conditional GET, 304)", value: ms(second.ms), note: `${int(notModified)} of ${FEEDS} answered 304; ${again} mentions re-emitted` },
          { label: "max concurrent requests per host", value: `${Math.max(maxFirst, maxSecond)}`, note: `configured limit ${PER_HOST_LIMIT} (perHostConcurrency); round 1 ${maxFirst}, round 2 ${maxSecond}; ${within ? "never above the limit" : "ABOVE THE LIMIT"}` },
          { label: "peak RSS, round 1", value: mib(first.peakRss), note: `before: ${mib(baseline.rss)}; sampled every ${MEMORY_SAMPLE_MS} ms` },
          { label: "peak heap used, round 1", value: mib(first.peakHeap), note: `before: ${mib(baseline.heapUsed)}` },
          { label: "peak RSS / heap, round 2", value: `${mib(second.peakRss)} / ${mib(second.peakHeap)}` },
          { label: "requests served", value: int(requests), note: `${FIXTURES.length} recorded feeds (Atom, RSS in UTF-8, ISO-8859-2, windows-1251, KOI8-R, JSON Feed) in turn` },
        ],
      },
    ];
  } finally {
    await http.close();
    await Promise.all(hosts.map((h) => new Promise<void>((resolve) => h.server.close(() => resolve()))));
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const sections = await benchFeeds({ progress: (line) => console.error(line) });
  console.log(formatSections(sections));
}
