import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { contentTypeOf } from "../../../dashboard/server/static-files";
import { APP_JS, INDEX_HTML, OUTSIDE_MARKER, send, startTestDashboard, stateChanging, type TestDashboard } from "./dashboard-fixture";

let d: TestDashboard;
beforeAll(async () => {
  d = await startTestDashboard();
});
afterAll(async () => {
  await d.close();
});

describe("static files", () => {
  test("GET / serves index.html as HTML without a session", async () => {
    const reply = await send(d.url, "/");
    expect(reply.status).toBe(200);
    expect(reply.text).toBe(INDEX_HTML);
    expect(reply.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(reply.headers["cache-control"]).toBe("no-cache");
  });

  test("GET of a built asset serves it with its content type and a long cache", async () => {
    const js = await send(d.url, "/assets/app-3f9a1c.js");
    expect(js.status).toBe(200);
    expect(js.text).toBe(APP_JS);
    expect(js.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(js.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    const css = await send(d.url, "/assets/app-3f9a1c.css?v=1");
    expect(css.headers["content-type"]).toBe("text/css; charset=utf-8");
  });

  test.each(["/incidents/Lumio:spike:1", "/settings", "/index.html", "/reports/weekly.html"])(
    "GET %s falls back to index.html",
    async (path) => {
      const reply = await send(d.url, path);
      expect(reply.status).toBe(200);
      expect(reply.text).toBe(INDEX_HTML);
      expect(reply.headers["content-type"]).toBe("text/html; charset=utf-8");
    },
  );

  test("GET of a missing asset with an extension answers 404, not index.html", async () => {
    const reply = await send(d.url, "/assets/missing-123.js");
    expect(reply.status).toBe(404);
    expect(reply.text).not.toContain("<title>");
  });

  test.each([
    "/../package.json",
    "/../secret.txt",
    "/%2e%2e/package.json",
    "/%2E%2E/secret.txt",
    "/..%2fpackage.json",
    "/%2e%2e%2fpackage.json",
    "/assets/..%2f..%2fpackage.json",
    "/assets/../../secret.txt",
    "/..%5cpackage.json",
    "/%2e%2e%5c%2e%2e%5csecret.txt",
    "/a%00.js",
  ])("GET %s is refused with 400", async (path) => {
    const reply = await send(d.url, path);
    expect(reply.status).toBe(400);
    expect(reply.json()).toEqual({ error: "invalid path" });
    expect(reply.text).not.toContain(OUTSIDE_MARKER);
  });

  test("GET of a double-encoded traversal stays inside the folder", async () => {
    const reply = await send(d.url, "/%252e%252e/package.json");
    expect(reply.text).not.toContain(OUTSIDE_MARKER);
    expect(reply.status).toBe(404);
  });

  test("GET of a dotfile answers 404", async () => {
    const reply = await send(d.url, "/.env");
    expect(reply.status).toBe(404);
    expect(reply.text).not.toContain(OUTSIDE_MARKER);
  });

  test("GET with a broken %-encoding answers 400", async () => {
    expect((await send(d.url, "/%E0%A4%A")).status).toBe(400);
  });

  test("HEAD / answers with the headers and no body", async () => {
    const reply = await send(d.url, "/", { method: "HEAD" });
    expect(reply.status).toBe(200);
    expect(reply.headers["content-length"]).toBe(String(Buffer.byteLength(INDEX_HTML)));
    expect(reply.text).toBe("");
  });

  test("POST to a page answers 403 without the CSRF header and 405 with it", async () => {
    expect((await send(d.url, "/", { method: "POST" })).status).toBe(403);
    const reply = await send(d.url, "/", { method: "POST", headers: stateChanging(d.url) });
    expect(reply.status).toBe(405);
    expect(reply.headers.allow).toBe("GET, HEAD");
  });
});

describe("contentTypeOf()", () => {
  test.each([
    ["index.html", "text/html; charset=utf-8"],
    ["a.MJS", "text/javascript; charset=utf-8"],
    ["logo.svg", "image/svg+xml"],
    ["font.woff2", "font/woff2"],
    ["app.js.map", "application/json; charset=utf-8"],
    ["data.bin", "application/octet-stream"],
    ["README", "application/octet-stream"],
  ])("contentTypeOf() names %s as %s", (file, type) => {
    expect(contentTypeOf(file)).toBe(type);
  });
});
