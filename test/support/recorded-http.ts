import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";
import { test as base } from "vitest";

/**
 * A real HTTP server on 127.0.0.1:0 that answers with recorded payloads from
 * test/fixtures/payloads, with the status, headers, validators, delays,
 * encodings and sizes a test asks for, and logs every request it gets.
 */

export const PAYLOADS_DIR = fileURLToPath(new URL("../fixtures/payloads/", import.meta.url));

/** Reads a recorded payload by its path under test/fixtures/payloads, e.g. "rss/atom.xml". */
export function payload(path: string): Buffer {
  return readFileSync(join(PAYLOADS_DIR, path));
}

export interface RecordedResponse {
  /** A recorded payload under test/fixtures/payloads, e.g. "rss/atom.xml". */
  file?: string;
  /** The body itself, when not from a file. A string is sent as UTF-8. */
  body?: string | Buffer;
  /** Default 200. */
  status?: number;
  /** Sets Content-Type, charset included if wanted ("application/rss+xml; charset=windows-1251"). */
  contentType?: string;
  headers?: Record<string, string>;
  /** Sent as ETag; a request with a matching If-None-Match gets 304. */
  etag?: string;
  /** Sent as Last-Modified; a request with an equal If-Modified-Since gets 304. */
  lastModified?: string;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Compress the body and say so in Content-Encoding. */
  encoding?: "gzip" | "deflate" | "br";
  /** Instead of a body, stream this many filler bytes, chunked and without Content-Length. */
  streamBytes?: number;
}

/** A file path, one response, or responses for successive requests (the last one repeats). */
export type Route = string | RecordedResponse | RecordedResponse[];

export interface LoggedRequest {
  method: string;
  path: string;
  headers: Record<string, string | undefined>;
  /** The status the server answered with. */
  status: number;
}

export interface RecordedServer {
  baseUrl: string;
  url(path: string): string;
  /** Every request received, in order. */
  readonly requests: LoggedRequest[];
  close(): Promise<void>;
}

export async function serveRecorded(routes: Record<string, Route>): Promise<RecordedServer> {
  const requests: LoggedRequest[] = [];
  const hits = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();

  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const route = routes[path];
    const n = hits.get(path) ?? 0;
    hits.set(path, n + 1);
    const spec = pick(route, n);
    const log: LoggedRequest = { method: req.method ?? "GET", path: req.url ?? "/", headers: headersOf(req), status: 0 };
    requests.push(log);
    const answer = () => {
      timers.delete(timer);
      respond(req, res, spec, log);
    };
    const timer = setTimeout(answer, spec?.delayMs ?? 0);
    timers.add(timer);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;

  return {
    baseUrl,
    url: (path) => `${baseUrl}${path}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function pick(route: Route | undefined, n: number): RecordedResponse | undefined {
  if (route === undefined) return undefined;
  if (typeof route === "string") return { file: route };
  if (Array.isArray(route)) return route[Math.min(n, route.length - 1)];
  return route;
}

function respond(req: IncomingMessage, res: ServerResponse, spec: RecordedResponse | undefined, log: LoggedRequest): void {
  if (!spec) {
    log.status = 404;
    res.writeHead(404, { "content-type": "text/plain" }).end("no such recorded route");
    return;
  }
  const headers: Record<string, string> = { ...spec.headers };
  if (spec.contentType) headers["content-type"] = spec.contentType;
  else if (spec.file && !headers["content-type"]) headers["content-type"] = guessType(spec.file);
  if (spec.etag) headers["etag"] = spec.etag;
  if (spec.lastModified) headers["last-modified"] = spec.lastModified;

  const status = spec.status ?? 200;
  const fresh =
    status === 200 &&
    ((spec.etag !== undefined && req.headers["if-none-match"] === spec.etag) ||
      (spec.etag === undefined && spec.lastModified !== undefined && req.headers["if-modified-since"] === spec.lastModified));
  if (fresh) {
    log.status = 304;
    delete headers["content-type"];
    res.writeHead(304, headers).end();
    return;
  }

  log.status = status;
  if (spec.streamBytes !== undefined) {
    res.writeHead(status, headers);
    streamFiller(res, spec.streamBytes);
    return;
  }
  let body: Buffer = spec.file ? payload(spec.file) : Buffer.from(spec.body ?? "");
  if (spec.encoding) {
    body = spec.encoding === "gzip" ? zlib.gzipSync(body) : spec.encoding === "br" ? zlib.brotliCompressSync(body) : zlib.deflateSync(body);
    headers["content-encoding"] = spec.encoding;
  }
  headers["content-length"] = String(body.length);
  res.writeHead(status, headers).end(body);
}

/** Writes filler in 64 KiB chunks, respecting backpressure, until done or the client goes away. */
function streamFiller(res: ServerResponse, total: number): void {
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  let sent = 0;
  const write = () => {
    while (sent < total && !res.destroyed) {
      const size = Math.min(chunk.length, total - sent);
      sent += size;
      if (!res.write(size === chunk.length ? chunk : chunk.subarray(0, size))) {
        res.once("drain", write);
        return;
      }
    }
    if (!res.destroyed) res.end();
  };
  res.on("error", () => {});
  write();
}

function guessType(file: string): string {
  if (file.endsWith(".json")) return "application/json";
  if (file.endsWith(".xml")) return "application/xml";
  return "application/octet-stream";
}

function headersOf(req: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) out[k] = Array.isArray(v) ? v.join(", ") : v;
  return out;
}

/**
 * `test` with a `recorded` fixture: `await recorded.serve(routes)` starts a
 * server that is closed when the test ends.
 */
export const test = base.extend<{ recorded: { serve(routes: Record<string, Route>): Promise<RecordedServer> } }>({
  // eslint-disable-next-line no-empty-pattern
  recorded: async ({}, use) => {
    const servers: RecordedServer[] = [];
    await use({
      async serve(routes) {
        const server = await serveRecorded(routes);
        servers.push(server);
        return server;
      },
    });
    await Promise.all(servers.map((s) => s.close()));
  },
});
