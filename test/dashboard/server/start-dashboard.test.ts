import { describe, expect, test } from "vitest";
import { login, send, startTestDashboard } from "./dashboard-fixture";

describe("startDashboard()", () => {
  test("startDashboard() listens on the given host and reports its URL", async () => {
    const d = await startTestDashboard();
    try {
      expect(d.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await send(d.url, "/")).status).toBe(200);
    } finally {
      await d.close();
    }
  });

  test("startDashboard() rejects when the port is taken", async () => {
    const d = await startTestDashboard();
    try {
      await expect(startTestDashboard({ port: Number(new URL(d.url).port) })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await d.close();
    }
  });

  test("close() frees the port, also with a keep-alive connection open", async () => {
    const d = await startTestDashboard();
    const port = Number(new URL(d.url).port);
    await login(d.url);
    await d.close();
    await expect(send(d.url, "/")).rejects.toThrow(/ECONNREFUSED/);
    const again = await startTestDashboard({ port });
    await again.close();
  });

  test("a store that fails answers 500 without its error text and logs the error", async () => {
    const d = await startTestDashboard();
    try {
      const cookie = await login(d.url);
      await d.store.close(); // the database is gone from under the dashboard
      const reply = await send(d.url, "/api/mentions", { headers: { cookie } });
      expect(reply.status).toBe(500);
      expect(reply.json()).toEqual({ error: "internal error" });
      const logged = d.log.entries.find((e) => e.level === "error" && e.msg === "request failed");
      expect(logged).toBeDefined();
      expect(String((logged!.obj as { err?: unknown }).err)).toMatch(/store/i);
    } finally {
      await d.close();
    }
  });
});
