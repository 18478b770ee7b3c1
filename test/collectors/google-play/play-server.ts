import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { payload } from "../../support/recorded-http";

/**
 * A real HTTP server on 127.0.0.1:0 standing in for play.google.com's
 * batchexecute endpoint: it answers each request with recorded files chosen
 * by the request (language, continuation token), and logs what it was sent,
 * the form body decoded, which test/support/recorded-http.ts does not keep.
 */

export interface PlayRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | undefined>;
  /** The f.req call decoded: [rpcId, inner JSON parsed, …]. */
  call: { rpc: unknown; appId: unknown; sort: unknown; count: unknown; token: unknown } | null;
}

export interface PlayAnswer {
  /** A file under test/fixtures/payloads, e.g. "google-play/reviews-pl-page1.txt". */
  file?: string;
  body?: string;
  status?: number;
  headers?: Record<string, string>;
}

export interface PlayServer {
  baseUrl: string;
  readonly requests: PlayRequest[];
  close(): Promise<void>;
}

export async function servePlay(answer: (req: PlayRequest, n: number) => PlayAnswer): Promise<PlayServer> {
  const requests: PlayRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const logged: PlayRequest = {
        method: req.method ?? "GET",
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : v])),
        call: decodeCall(Buffer.concat(chunks).toString("utf8")),
      };
      requests.push(logged);
      const a = answer(logged, requests.length - 1);
      const body = a.file !== undefined ? payload(a.file) : Buffer.from(a.body ?? "");
      res.writeHead(a.status ?? 200, { "content-type": "application/json; charset=utf-8", "content-length": String(body.length), ...a.headers }).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function decodeCall(form: string): PlayRequest["call"] {
  const fReq = new URLSearchParams(form).get("f.req");
  if (fReq === null) return null;
  const outer = JSON.parse(fReq) as unknown[][][];
  const call = outer[0]?.[0] ?? [];
  const inner = JSON.parse(String(call[1])) as [null, null, [number, number, [number, null, string | null]], [string, number]];
  return { rpc: call[0], appId: inner[3][0], sort: inner[2][1], count: inner[2][2][0], token: inner[2][2][2] };
}
