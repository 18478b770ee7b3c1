import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { WebSocket } from "ws";
import { API, CSRF_HEADER, LIVE_PATH, type ServerMessage } from "../../dashboard/protocol";
import { fixed, int, median, ms, quantile, type Section } from "./figures";

/**
 * WebSocket fan-out: `clients` signed-in sockets on the live hub while the
 * pipeline side emits `rate` mentions a second for `seconds`. The dashboard
 * runs in a child process (ws-fanout-server.ts) so its CPU time is its own;
 * the clients here compete for the same cores, so they stay cheap: each
 * counts the mentions in a frame by scanning its bytes, and one in ten also
 * parses it to time the delivery. The figures are a floor for a machine of
 * this size.
 */

/** Every mention in a frame starts with this (MentionView's first key). */
const MENTION_MARK = Buffer.from('{"id":');
const TIMED_EVERY = 10;

function countMentions(frame: Buffer): number {
  let n = 0;
  for (let at = frame.indexOf(MENTION_MARK); at !== -1; at = frame.indexOf(MENTION_MARK, at + MENTION_MARK.length)) n++;
  return n;
}

interface Ready {
  ready: true;
  url: string;
  username: string;
  password: string;
}
interface Done {
  done: { emitted: number; cpuUserMs: number; cpuSystemMs: number; wallMs: number };
}

export async function benchWsFanout(opts: {
  progress(line: string): void;
  clients?: number;
  rate?: number;
  seconds?: number;
}): Promise<Section[]> {
  const clients = opts.clients ?? 100;
  const rate = opts.rate ?? 5_000;
  const seconds = opts.seconds ?? 10;
  const server = fork(fileURLToPath(new URL("./ws-fanout-server.ts", import.meta.url)), [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const messages: (Ready | Done)[] = [];
  const waiters: (() => void)[] = [];
  server.on("message", (m: Ready | Done) => {
    messages.push(m);
    for (const w of waiters.splice(0)) w();
  });
  const next = async <T extends Ready | Done>(is: (m: Ready | Done) => m is T): Promise<T> => {
    for (;;) {
      const found = messages.find(is);
      if (found) return found;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };

  const sockets: WebSocket[] = [];
  try {
    const ready = await next((m): m is Ready => "ready" in m);
    const cookie = await signIn(ready);
    opts.progress(`fan-out: ${clients} clients connecting`);

    const delivered = new Array<number>(clients).fill(0);
    const latencies: number[] = [];
    let frames = 0;
    let closedEarly = 0;
    const wsUrl = ready.url.replace(/^http/, "ws") + LIVE_PATH;
    await Promise.all(
      Array.from({ length: clients }, (_, i) => {
        const ws = new WebSocket(wsUrl, { headers: { cookie }, perMessageDeflate: false });
        sockets.push(ws);
        return new Promise<void>((resolve, reject) => {
          ws.once("error", reject);
          ws.on("close", () => closedEarly++);
          let joined = false;
          ws.on("message", (data: Buffer) => {
            if (!joined) {
              joined = (JSON.parse(data.toString("utf8")) as ServerMessage).type === "snapshot";
              if (joined) resolve();
              return;
            }
            const n = countMentions(data);
            if (n === 0) return;
            frames++;
            delivered[i]! += n;
            if (i % TIMED_EVERY !== 0) return;
            // One latency per frame: a frame's mentions went out in one flush.
            const message = JSON.parse(data.toString("utf8")) as ServerMessage;
            if (message.type === "mentions" && message.mentions[0]) latencies.push(Date.now() - message.mentions[0].publishedAt);
          });
        });
      }),
    );
    opts.progress(`fan-out: ${int(rate)} mentions/s for ${seconds} s`);
    server.send({ run: { rate, seconds } });
    const { done } = await next((m): m is Done => "done" in m);
    await new Promise((r) => setTimeout(r, 500));

    const totalDelivered = delivered.reduce((a, b) => a + b, 0);
    const expected = done.emitted * clients;
    const cpuMs = done.cpuUserMs + done.cpuSystemMs;
    return [
      {
        title: `WebSocket fan-out (${clients} clients, ${int(rate)} mentions/s, ${seconds} s)`,
        figures: [
          { label: "mentions emitted", value: int(done.emitted), note: `${fixed(done.emitted / (done.wallMs / 1000), 0)}/s achieved` },
          {
            label: "delivered to clients",
            value: `${fixed((100 * totalDelivered) / expected, 2)} %`,
            note: `${int(totalDelivered)} of ${int(expected)}; slowest client ${int(Math.min(...delivered))}; sockets closed early ${closedEarly}`,
          },
          { label: "delivery rate per client", value: `${int(median(delivered) / (done.wallMs / 1000))} mentions/s`, note: `${int(frames / clients)} frames each` },
          { label: "emit → client latency (median)", value: ms(median(latencies)), note: "includes the 250 ms flush window" },
          { label: "emit → client latency (p95 / p99)", value: `${ms(quantile(latencies, 0.95))} / ${ms(quantile(latencies, 0.99))}` },
          { label: "server CPU", value: `${fixed((100 * cpuMs) / done.wallMs, 1)} % of one core`, note: `user ${int(done.cpuUserMs)} ms, system ${int(done.cpuSystemMs)} ms` },
          { label: "server CPU per mention", value: `${fixed((cpuMs * 1000) / done.emitted, 1)} µs`, note: "serialised once, written to every client" },
          { label: "server CPU per delivered copy", value: `${fixed((cpuMs * 1000) / Math.max(1, totalDelivered), 2)} µs` },
        ],
      },
    ];
  } finally {
    for (const ws of sockets) ws.terminate();
    server.send({ stop: true });
    await new Promise((resolve) => (server.exitCode !== null ? resolve(null) : server.once("exit", resolve)));
  }
}

async function signIn(ready: Ready): Promise<string> {
  const response = await fetch(`${ready.url}${API.session}`, {
    method: "POST",
    headers: { "content-type": "application/json", [CSRF_HEADER]: "1" },
    body: JSON.stringify({ username: ready.username, password: ready.password }),
  });
  const setCookie = response.headers.get("set-cookie");
  if (response.status !== 204 || setCookie === null) throw new Error(`sign-in failed: HTTP ${response.status}`);
  return setCookie.split(";")[0]!;
}
