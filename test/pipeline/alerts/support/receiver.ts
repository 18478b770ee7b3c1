import { createServer, type IncomingHttpHeaders, type Server } from "node:http";

/** One request as the receiver saw it. */
export interface Received {
  method: string;
  /** Path and query, as sent. */
  url: string;
  headers: IncomingHttpHeaders;
  raw: string;
}

export interface Reply {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

/**
 * A real HTTP server on 127.0.0.1 (port 0) standing in for Slack, Teams,
 * Telegram, PagerDuty or Opsgenie: it records every request and answers with
 * the scripted replies in order, then with `fallback`.
 */
export interface Receiver {
  base: string;
  received: Received[];
  /** Replaces the script and forgets what was received. */
  reset(script: Reply[], fallback?: Reply): void;
  close(): Promise<void>;
}

export async function startReceiver(fallback: Reply = { status: 200, body: "ok" }): Promise<Receiver> {
  let script: Reply[] = [];
  let otherwise = fallback;
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let raw = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (raw += c));
    req.on("end", () => {
      received.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, raw });
      const reply = script.shift() ?? otherwise;
      res.writeHead(reply.status, { "content-type": "text/plain; charset=utf-8", ...reply.headers }).end(reply.body ?? "");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    base,
    received,
    reset(next, fb = fallback) {
      script = [...next];
      otherwise = fb;
      received.length = 0;
    },
    close: () => new Promise<void>((r, j) => server.close((e) => (e ? j(e) : r()))),
  };
}
