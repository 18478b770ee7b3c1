import type { LookupAddress } from "node:dns";
import zlib from "node:zlib";
import iconv from "iconv-lite";
import { afterEach, describe, expect } from "vitest";
import {
  createSafeHttp,
  HttpError,
  isHttpError,
  parseRetryAfter,
  retryDelayFromHeaders,
  type BodyResponse,
  type HttpResponse,
  type RetryEvent,
  type SafeHttp,
  type SafeHttpOptions,
} from "../../collectors/http";
import type { LookupFunction } from "../../collectors/private-address";
import { payload, test } from "../support/recorded-http";
import { rejection } from "./rejection";

const clients: SafeHttp[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

function client(options: SafeHttpOptions = {}): SafeHttp {
  const http = createSafeHttp(options);
  clients.push(http);
  return http;
}

/** Local test servers live on 127.0.0.1: tests that fetch from them open the guard. */
const local = (options: SafeHttpOptions = {}) => client({ allowPrivateNetworks: true, ...options });

const failure = (promise: Promise<unknown>): Promise<HttpError> => rejection(promise, isHttpError, "an HttpError");

function body(res: HttpResponse): BodyResponse {
  if (res.notModified) throw new Error("expected a body, got 304");
  return res;
}

/** A DNS answer that changes between calls, as a rebinding attacker's server would give. */
function rebindingLookup(answers: string[][]): LookupFunction {
  let call = 0;
  return (_hostname, options, callback) => {
    const addresses: LookupAddress[] = (answers[Math.min(call++, answers.length - 1)] ?? []).map((address) => ({
      address,
      family: address.includes(":") ? 6 : 4,
    }));
    if (options.all) callback(null, addresses);
    else callback(null, addresses[0]?.address ?? "", addresses[0]?.family ?? 4);
  };
}

describe("private-address guard", () => {
  test.for([
    ["loopback IPv4", "http://127.0.0.1:{port}/feed.xml"],
    ["private 10/8", "http://10.1.2.3/feed.xml"],
    ["cloud metadata", "http://169.254.169.254/latest/meta-data/"],
    ["loopback IPv6", "http://[::1]:{port}/feed.xml"],
    ["IPv4-mapped loopback", "http://[::ffff:127.0.0.1]:{port}/feed.xml"],
    ["CGNAT", "http://100.64.0.7/feed.xml"],
    ["unspecified", "http://0.0.0.0:{port}/feed.xml"],
    ["a hostname resolving to loopback", "http://localhost:{port}/feed.xml"],
  ])("get() refuses %s", async ([, template], { recorded }) => {
    const server = await recorded.serve({ "/feed.xml": "rss/atom.xml" });
    const port = new URL(server.baseUrl).port;
    const err = await failure(client().get(template.replace("{port}", port)));
    expect(err.code).toBe("blocked-address");
    expect(err.retryable).toBe(false);
    expect(server.requests).toHaveLength(0);
  });

  test("post() reads a reply up to maxBytes when asked, and refuses a larger one with too-large", async ({ recorded }) => {
    const big = "x".repeat(200_000);
    const server = await recorded.serve({ "/rpc": { body: big, contentType: "text/plain" } });
    const whole = await local().post(server.url("/rpc"), { body: "q=1", maxBytes: 1024 * 1024 });
    expect(whole.text).toHaveLength(200_000);
    const err = await failure(local().post(server.url("/rpc"), { body: "q=1", maxBytes: 64 * 1024 }));
    expect(err.code).toBe("too-large");
    // Without maxBytes the reply is only for error messages: a large one arrives empty.
    expect((await local().post(server.url("/rpc"), { body: "q=1" })).text).toBe("");
  });

  test("get() fetches from loopback when allowPrivateNetworks is true", async ({ recorded }) => {
    const server = await recorded.serve({ "/feed.xml": "rss/atom.xml" });
    const res = body(await local().get(server.url("/feed.xml")));
    expect(res.status).toBe(200);
    expect(res.text).toContain("Broadband Watch");
  });

  test("get() fetches from a host listed in allowPrivateNetworks", async ({ recorded }) => {
    const server = await recorded.serve({ "/feed.xml": "rss/atom.xml" });
    const res = body(await client({ allowPrivateNetworks: ["127.0.0.1/32"] }).get(server.url("/feed.xml")));
    expect(res.text).toContain("Broadband Watch");
  });

  test("get() refuses a host whose DNS answer turns private between the check and the connect", async ({ recorded }) => {
    const server = await recorded.serve({ "/feed.xml": "rss/atom.xml" });
    const port = new URL(server.baseUrl).port;
    // First answer (the early check): a public address. Every later answer (the connect): loopback.
    const http = client({ lookup: rebindingLookup([["93.184.216.34"], ["127.0.0.1"]]), maxAttempts: 1 });
    const err = await failure(http.get(`http://rebind.example:${port}/feed.xml`));
    expect(err.code).toBe("blocked-address");
    expect(err.message).toContain("127.0.0.1");
    expect(server.requests).toHaveLength(0);
  });

  test("get() refuses a host when any of its addresses is private", async ({ recorded }) => {
    const server = await recorded.serve({ "/feed.xml": "rss/atom.xml" });
    const http = client({ lookup: rebindingLookup([["93.184.216.34", "10.0.0.8"]]) });
    const err = await failure(http.get(`http://mixed.example:${new URL(server.baseUrl).port}/feed.xml`));
    expect(err.code).toBe("blocked-address");
    expect(err.message).toContain("10.0.0.8");
  });

  test.for([
    ["cloud metadata", "http://169.254.169.254/latest/meta-data/iam/"],
    ["a private network", "http://10.0.0.5/admin"],
    ["a name that resolves to a private address", "http://intranet.example/wiki"],
    ["IPv6 loopback", "http://[::1]/admin"],
    ["IPv4-mapped IPv6 cloud metadata, in hex", "http://[::ffff:a9fe:a9fe]/latest/meta-data/"],
    ["NAT64 carrying a private IPv4 address", "http://[64:ff9b::a00:1]/"],
    ["0.0.0.0", "http://0.0.0.0/"],
    ["a private IPv4 address written as one decimal integer", "http://167772161/"],
  ])("get() refuses a redirect to %s", async ([, target], { recorded }) => {
    const server = await recorded.serve({ "/go": { status: 302, headers: { location: target } } });
    // Only the test server's address is let through; intranet.example answers 10.1.1.1.
    const http = client({ allowPrivateNetworks: ["127.0.0.1"], lookup: rebindingLookup([["10.1.1.1"]]) });
    const err = await failure(http.get(server.url("/go")));
    expect(err.code).toBe("blocked-address");
    expect(server.requests.map((r) => r.path)).toEqual(["/go"]);
  });

  test("get() refuses URLs that are not http or https", async () => {
    for (const url of ["file:///etc/passwd", "ftp://example.com/feed.xml", "gopher://example.com/"]) {
      const err = await failure(client().get(url));
      expect(err.code).toBe("bad-url");
    }
  });
});

describe("redirects", () => {
  test("get() follows redirects and reports the final URL", async ({ recorded }) => {
    const server = await recorded.serve({
      "/old": { status: 301, headers: { location: "/moved" } },
      "/moved": { status: 307, headers: { location: "/feed.xml" } },
      "/feed.xml": "rss/atom.xml",
    });
    const res = body(await local().get(server.url("/old")));
    expect(res.url).toBe(server.url("/feed.xml"));
    expect(server.requests.map((r) => r.path)).toEqual(["/old", "/moved", "/feed.xml"]);
  });

  test("get() stops after the redirect limit", async ({ recorded }) => {
    const server = await recorded.serve({ "/loop": { status: 302, headers: { location: "/loop" } } });
    const err = await failure(local({ maxRedirects: 5 }).get(server.url("/loop")));
    expect(err.code).toBe("too-many-redirects");
    expect(server.requests).toHaveLength(6);
  });
});

describe("size cap", () => {
  test("get() aborts a body streamed past maxBytes", async ({ recorded }) => {
    const server = await recorded.serve({ "/huge": { streamBytes: 8 * 1024 * 1024 } });
    const err = await failure(local({ maxBytes: 1024 * 1024 }).get(server.url("/huge")));
    expect(err.code).toBe("too-large");
    expect(err.retryable).toBe(false);
    expect(err.message).toContain("1048576");
  });

  test("get() refuses a declared Content-Length above maxBytes", async ({ recorded }) => {
    const server = await recorded.serve({ "/feed.xml": "rss/atom.xml" });
    const err = await failure(local({ maxBytes: 1000 }).get(server.url("/feed.xml")));
    expect(err.code).toBe("too-large");
    expect(err.message).toContain("declares");
  });

  test("get() refuses a small gzip body that decompresses past maxBytes", async ({ recorded }) => {
    const bomb = Buffer.alloc(4 * 1024 * 1024, 0x20);
    const server = await recorded.serve({ "/bomb": { body: bomb, encoding: "gzip", contentType: "application/xml" } });
    const err = await failure(local({ maxBytes: 1024 * 1024 }).get(server.url("/bomb")));
    expect(zlib.gzipSync(bomb).length).toBeLessThan(1024 * 1024);
    expect(err.code).toBe("too-large");
    expect(err.message).toContain("decompresses");
  });
});

describe("content encoding", () => {
  test.for(["gzip", "deflate", "br"] as const)("get() decodes a %s body", async (encoding, { recorded }) => {
    const server = await recorded.serve({ "/feed.xml": { file: "rss/atom.xml", encoding } });
    const res = body(await local().get(server.url("/feed.xml")));
    expect(res.body.equals(payload("rss/atom.xml"))).toBe(true);
    expect(server.requests[0]?.headers["accept-encoding"]).toBe("gzip, deflate, br");
  });
});

describe("timeouts and retries", () => {
  test("get() gives up after timeoutMs", async ({ recorded }) => {
    const server = await recorded.serve({ "/slow": { file: "rss/atom.xml", delayMs: 5_000 } });
    const err = await failure(local({ timeoutMs: 200 }).get(server.url("/slow")));
    expect(err.code).toBe("timeout");
    expect(err.retryable).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  test("get() ends when the caller's signal aborts", async ({ recorded }) => {
    const server = await recorded.serve({ "/slow": { file: "rss/atom.xml", delayMs: 5_000 } });
    const controller = new AbortController();
    const pending = local().get(server.url("/slow"), { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const err = await failure(pending);
    expect(err.code).toBe("aborted");
  });

  test("get() waits out Retry-After on 429 and then succeeds", async ({ recorded }) => {
    const server = await recorded.serve({
      "/feed.xml": [{ status: 429, headers: { "retry-after": "1" } }, { file: "rss/atom.xml" }],
    });
    const retries: RetryEvent[] = [];
    const res = body(await local({ onRetry: (e) => retries.push(e) }).get(server.url("/feed.xml")));
    expect(res.status).toBe(200);
    expect(server.requests.map((r) => r.status)).toEqual([429, 200]);
    expect(retries).toHaveLength(1);
    expect(retries[0]).toMatchObject({ attempt: 1, delayMs: 1000, fromRetryAfter: true });
    expect(retries[0]?.error.status).toBe(429);
  });

  test("get() retries 503 with backoff and reports the last failure after maxAttempts", async ({ recorded }) => {
    const server = await recorded.serve({ "/feed.xml": { status: 503 } });
    const retries: RetryEvent[] = [];
    const err = await failure(local({ maxAttempts: 3, baseRetryDelayMs: 20, onRetry: (e) => retries.push(e) }).get(server.url("/feed.xml")));
    expect(err).toMatchObject({ code: "status", status: 503, retryable: true });
    expect(server.requests).toHaveLength(3);
    expect(retries.map((r) => r.attempt)).toEqual([1, 2]);
    expect(retries.every((r) => !r.fromRetryAfter && r.delayMs <= 40)).toBe(true);
  });

  test("get() does not retry a 404", async ({ recorded }) => {
    const server = await recorded.serve({});
    const err = await failure(local({ baseRetryDelayMs: 20 }).get(server.url("/missing.xml")));
    expect(err).toMatchObject({ code: "status", status: 404, retryable: false });
    expect(err.message).toBe(`HTTP 404 from ${server.url("/missing.xml")}`);
    expect(server.requests).toHaveLength(1);
  });

  test("get() fails at once when Retry-After is longer than the poll may wait", async ({ recorded }) => {
    const server = await recorded.serve({ "/feed.xml": { status: 429, headers: { "retry-after": "3600" } } });
    const err = await failure(local({ maxRetryDelayMs: 30_000 }).get(server.url("/feed.xml")));
    expect(err).toMatchObject({ status: 429, retryable: true, retryAfterMs: 3_600_000 });
    expect(server.requests).toHaveLength(1);
  });

  test("get() keeps the query string out of error messages", async ({ recorded }) => {
    const server = await recorded.serve({ "/api": { status: 500 } });
    const err = await failure(local({ maxAttempts: 1 }).get(`${server.url("/api")}?key=secret-token`));
    expect(err.message).not.toContain("secret-token");
    expect(err.url).toBe(server.url("/api"));
  });
});

describe("conditional GET", () => {
  test("get() sends If-None-Match and returns notModified on 304", async ({ recorded }) => {
    const server = await recorded.serve({ "/feed.xml": { file: "rss/atom.xml", etag: '"v1"' } });
    const http = local();
    const first = body(await http.get(server.url("/feed.xml")));
    expect(first.etag).toBe('"v1"');
    const second = await http.get(server.url("/feed.xml"), { etag: first.etag });
    expect(second).toMatchObject({ notModified: true, status: 304, etag: '"v1"' });
    expect(server.requests[1]?.headers["if-none-match"]).toBe('"v1"');
  });

  test("get() sends If-Modified-Since and returns notModified on 304", async ({ recorded }) => {
    const stamp = "Tue, 14 May 2024 09:15:00 GMT";
    const server = await recorded.serve({ "/feed.xml": { file: "rss/atom.xml", lastModified: stamp } });
    const res = await local().get(server.url("/feed.xml"), { lastModified: stamp });
    expect(res).toMatchObject({ notModified: true, lastModified: stamp });
    expect(server.requests[0]?.headers["if-modified-since"]).toBe(stamp);
  });
});

describe("request headers", () => {
  test("get() sends a descriptive User-Agent", async ({ recorded }) => {
    const server = await recorded.serve({ "/feed.xml": "rss/atom.xml" });
    await local().get(server.url("/feed.xml"));
    expect(server.requests[0]?.headers["user-agent"]).toMatch(/^Earshot\/\d+\.\d+\.\d+\S* \(\+https:\/\/github\.com\/earshot; social listening\)$/);
  });

  test("get() sends the User-Agent given in options", async ({ recorded }) => {
    const server = await recorded.serve({ "/feed.xml": "rss/atom.xml" });
    await local({ userAgent: "Earshot/test (+ops@example.com)" }).get(server.url("/feed.xml"));
    expect(server.requests[0]?.headers["user-agent"]).toBe("Earshot/test (+ops@example.com)");
  });
});

describe("charsets", () => {
  const POLISH = "Zażółć gęślą jaźń — Łódź, Gdańsk, Kraków: „świetna” obsługa";
  const RUSSIAN = "Съешь же ещё этих мягких французских булок, да выпей чаю. Люмио — ужасный сервис!";

  test.for([
    { name: "windows-1251 from the header", text: RUSSIAN, charset: "windows-1251", contentType: "text/plain; charset=windows-1251" },
    { name: "KOI8-R from the header", text: RUSSIAN.replace("—", "-"), charset: "koi8-r", contentType: "text/plain; charset=KOI8-R" },
    { name: "ISO-8859-2 from the header", text: POLISH.replace(/[—„”]/g, "-"), charset: "iso-8859-2", contentType: 'text/plain; charset="ISO-8859-2"' },
  ])("get() decodes $name", async ({ text, charset, contentType }, { recorded }) => {
    const server = await recorded.serve({ "/t": { body: iconv.encode(text, charset), contentType } });
    const res = body(await local().get(server.url("/t")));
    expect(res.text).toBe(text);
    expect(res.charset).toBe(charset);
  });

  test("get() decodes ISO-8859-2 named only in the XML prolog", async ({ recorded }) => {
    const server = await recorded.serve({ "/feed.xml": { file: "rss/polish-news.iso-8859-2.xml", contentType: "application/rss+xml" } });
    const res = body(await local().get(server.url("/feed.xml")));
    expect(res.charset).toBe("iso-8859-2");
    expect(res.text).toContain("Awaria sieci Lumio: tysiące klientów bez internetu");
    expect(res.text).toContain("Małgorzata Żółkiewska");
  });

  test("get() decodes UTF-16LE with a BOM despite no charset anywhere", async ({ recorded }) => {
    const xml = `<?xml version="1.0"?><rss version="2.0"><channel><title>${RUSSIAN} ${POLISH}</title></channel></rss>`;
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(xml, "utf-16le")]);
    const server = await recorded.serve({ "/feed.xml": { body: bytes, contentType: "application/xml" } });
    const res = body(await local().get(server.url("/feed.xml")));
    expect(res.charset).toBe("utf-16le");
    expect(res.text).toBe(xml);
  });

  test("get() decodes windows-1251 named in an HTML meta tag", async ({ recorded }) => {
    const html = `<!doctype html><html><head><meta charset="windows-1251"><title>${RUSSIAN}</title></head></html>`;
    const server = await recorded.serve({ "/page": { body: iconv.encode(html, "windows-1251"), contentType: "text/html" } });
    const res = body(await local().get(server.url("/page")));
    expect(res.text).toBe(html);
  });
});

describe("retryDelayFromHeaders()", () => {
  const now = Date.parse("2024-05-14T10:00:00Z");
  test("retryDelayFromHeaders() prefers Retry-After and falls back to rate-limit reset headers on 429", () => {
    expect(retryDelayFromHeaders(429, { "retry-after": "5", "x-ratelimit-reset": "60" }, now)).toBe(5_000);
    expect(retryDelayFromHeaders(429, { "x-ratelimit-reset": "42.5" }, now)).toBe(42_500);
    expect(retryDelayFromHeaders(429, { "ratelimit-reset": "7" }, now)).toBe(7_000);
    expect(retryDelayFromHeaders(429, { "x-ratelimit-reset": String(now / 1000 + 90) }, now)).toBe(90_000);
    expect(retryDelayFromHeaders(503, { "x-ratelimit-reset": "60" }, now)).toBeUndefined();
    expect(retryDelayFromHeaders(429, { "x-ratelimit-reset": new Date(now + 45_000).toISOString() }, now)).toBe(45_000);
    expect(retryDelayFromHeaders(429, { "x-ratelimit-reset": "2026-13-45Tnonsense" }, now)).toBeUndefined();
    expect(retryDelayFromHeaders(429, {}, now)).toBeUndefined();
  });
});

describe("parseRetryAfter()", () => {
  const now = Date.parse("2024-05-14T10:00:00Z");
  test.for([
    ["120", 120_000],
    ["0", 0],
    ["Tue, 14 May 2024 10:00:30 GMT", 30_000],
    ["Tue, 14 May 2024 09:00:00 GMT", 0],
    ["soon", undefined],
    [undefined, undefined],
  ] as const)("parseRetryAfter() reads %s", ([value, expected]) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});
