import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { CSRF_HEADER, type ApiError, type MeProfile } from "../../../dashboard/protocol";
import { startDashboard } from "../../../dashboard/server/start-dashboard";
import {
  heldRequest,
  login,
  OTHER_USER,
  recordingLogger,
  send,
  SESSION_SECRET,
  startTestDashboard,
  stateChanging,
  TEST_PASSWORD_PARAMS,
  USER,
  type TestDashboard,
} from "./dashboard-fixture";
import { hashPassword, verifyPassword } from "../../../pipeline/users/password-hash";

let d: TestDashboard;
beforeEach(async () => {
  d = await startTestDashboard();
});
afterEach(async () => {
  await d.close();
});

const postLogin = (body: string, headers: Record<string, string> = {}) =>
  send(d.url, "/api/session", {
    method: "POST",
    headers: stateChanging(d.url, { "content-type": "application/json", ...headers }),
    body,
  });

describe("sessions", () => {
  test("GET /api/me answers 401 without a session", async () => {
    const reply = await send(d.url, "/api/me");
    expect(reply.status).toBe(401);
    expect(reply.json()).toEqual({ error: "sign in first" } satisfies ApiError);
  });

  test("POST /api/session refuses a wrong password with 401 and no cookie", async () => {
    const reply = await postLogin(JSON.stringify({ username: USER.username, password: "wrong" }));
    expect(reply.status).toBe(401);
    expect(reply.json()).toEqual({ error: "wrong username or password" });
    expect(reply.headers["set-cookie"]).toBeUndefined();
  });

  test("POST /api/session refuses an unknown user with the same answer", async () => {
    const reply = await postLogin(JSON.stringify({ username: "nobody", password: USER.password }));
    expect(reply.status).toBe(401);
    expect(reply.json()).toEqual({ error: "wrong username or password" });
  });

  test("POST /api/session sets an HttpOnly SameSite=Strict cookie that GET /api/me accepts", async () => {
    const reply = await postLogin(JSON.stringify(USER));
    expect(reply.status).toBe(204);
    const setCookie = reply.headers["set-cookie"]![0]!;
    expect(setCookie).toMatch(/^earshot-session=[\w-]+\.[\w-]+; /);
    expect(setCookie).toContain("HttpOnly");
    expect(setCookie).toContain("SameSite=Strict");
    expect(setCookie).toContain("Path=/");
    expect(setCookie).toContain("Max-Age=43200");
    expect(setCookie).not.toContain("Secure");

    const me = await send(d.url, "/api/me", { headers: { cookie: setCookie.split(";")[0]! } });
    expect(me.status).toBe(200);
    expect(me.json()).toEqual({ username: "ola", role: "admin", lang: null, timeZone: null } satisfies MeProfile);
  });

  test("POST /api/session accepts a password typed in another Unicode normal form", async () => {
    const reply = await postLogin(JSON.stringify({ username: USER.username, password: USER.password.normalize("NFD") }));
    expect(USER.password.normalize("NFD")).not.toBe(USER.password);
    expect(reply.status).toBe(204);
  });

  test("POST /api/session signs in each configured user as themselves", async () => {
    const cookie = await login(d.url, OTHER_USER);
    const me = await send(d.url, "/api/me", { headers: { cookie } });
    expect(me.json()).toEqual({ username: "ivan", role: "admin", lang: null, timeZone: null });
  });

  test("POST /api/session answers 429 after ten failures from one address, even with the right password", async () => {
    for (let i = 0; i < 10; i++) {
      const reply = await postLogin(JSON.stringify({ username: USER.username, password: `guess-${i}` }));
      expect(reply.status).toBe(401);
    }
    const limited = await postLogin(JSON.stringify(USER));
    expect(limited.status).toBe(429);
    expect(limited.json()).toEqual({ error: "too many failed logins; try again later" });
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    expect(Number(limited.headers["retry-after"])).toBeLessThanOrEqual(300);
    expect(d.log.entries.some((e) => e.msg === "login refused: too many failures")).toBe(true);

    d.clock.now += 5 * 60 * 1000 + 1;
    expect((await postLogin(JSON.stringify(USER))).status).toBe(204);
  });

  test("POST /api/session counts guesses sent at once: those past the limit answer 429 without a password check", async () => {
    // Each request's headers are read (and the limit checked) before any body
    // is sent, so no guess has failed yet when the bodies arrive together.
    const held = await Promise.all(
      Array.from({ length: 15 }, (_, i) =>
        heldRequest(d.url, "/api/session", stateChanging(d.url, { "content-type": "application/json" }), JSON.stringify({ username: USER.username, password: `guess-${i}` })),
      ),
    );
    for (const h of held) h.release();
    const statuses = (await Promise.all(held.map((h) => h.reply))).sort();
    expect(statuses).toEqual([...Array<number>(10).fill(401), ...Array<number>(5).fill(429)]);
    expect((await postLogin(JSON.stringify(USER))).status).toBe(429);
  });

  test("POST /api/session does not count a successful sign-in against the address", async () => {
    for (let i = 0; i < 9; i++) expect((await postLogin(JSON.stringify({ username: USER.username, password: `guess-${i}` }))).status).toBe(401);
    for (let i = 0; i < 3; i++) expect((await postLogin(JSON.stringify(USER))).status).toBe(204);
    expect((await postLogin(JSON.stringify({ username: USER.username, password: "guess-9" }))).status).toBe(401);
    expect((await postLogin(JSON.stringify(USER))).status).toBe(429);
  });

  test("POST /api/session does not log the attempted username or password", async () => {
    await postLogin(JSON.stringify({ username: "typed-a-password-here", password: "hunter2" }));
    const logged = JSON.stringify(d.log.entries);
    expect(logged).toContain("login failed");
    expect(logged).not.toContain("typed-a-password-here");
    expect(logged).not.toContain("hunter2");
  });

  test("POST /api/session without the CSRF header answers 403", async () => {
    const reply = await send(d.url, "/api/session", {
      method: "POST",
      headers: { "content-type": "application/json", origin: new URL(d.url).origin },
      body: JSON.stringify(USER),
    });
    expect(reply.status).toBe(403);
    expect(reply.json()).toEqual({ error: `state-changing requests need the ${CSRF_HEADER} header` });
    expect(reply.headers["set-cookie"]).toBeUndefined();
  });

  test("POST /api/session from another Origin answers 403", async () => {
    const reply = await postLogin(JSON.stringify(USER), { origin: "https://evil.example" });
    expect(reply.status).toBe(403);
    expect(reply.json()).toEqual({ error: "cross-origin request refused" });
  });

  test("POST /api/session with the CSRF header and no Origin (a non-browser client) signs in", async () => {
    const reply = await send(d.url, "/api/session", {
      method: "POST",
      headers: { [CSRF_HEADER]: "1", "content-type": "application/json" },
      body: JSON.stringify(USER),
    });
    expect(reply.status).toBe(204);
  });

  test("POST /api/session answers 400 to malformed JSON and to missing fields", async () => {
    const malformed = await postLogin('{"username": "ola", ');
    expect(malformed.status).toBe(400);
    expect(malformed.json()).toEqual({ error: "the body is not valid JSON" });

    const missing = await postLogin(JSON.stringify({ username: "ola" }));
    expect(missing.status).toBe(400);
    expect((missing.json() as ApiError).error).toMatch(/^password must be a string/);

    const notObject = await postLogin("[1,2]");
    expect(notObject.status).toBe(400);
  });

  test("POST /api/session answers 413 to a body over 16 KiB and 415 to a non-JSON body", async () => {
    const big = await postLogin(JSON.stringify({ username: "ola", password: "x".repeat(17 * 1024) }));
    expect(big.status).toBe(413);
    expect((big.json() as ApiError).error).toBe("the body is larger than 16384 bytes");

    const form = await postLogin("username=ola&password=x", { "content-type": "application/x-www-form-urlencoded" });
    expect(form.status).toBe(415);
  });

  test("DELETE /api/session clears the cookie and ends the session", async () => {
    const cookie = await login(d.url);
    const reply = await send(d.url, "/api/session", { method: "DELETE", headers: stateChanging(d.url, { cookie }) });
    expect(reply.status).toBe(204);
    expect(reply.headers["set-cookie"]![0]).toMatch(/^earshot-session=; Max-Age=0; Path=\/; HttpOnly; SameSite=Strict$/);
    // The old token is refused even though a client kept it.
    expect((await send(d.url, "/api/me", { headers: { cookie } })).status).toBe(401);
  });

  test("DELETE /api/session without the CSRF header answers 403 and keeps the session", async () => {
    const cookie = await login(d.url);
    const reply = await send(d.url, "/api/session", { method: "DELETE", headers: { cookie } });
    expect(reply.status).toBe(403);
    expect((await send(d.url, "/api/me", { headers: { cookie } })).status).toBe(200);
  });

  test("GET /api/me answers 401 once the session has expired", async () => {
    const cookie = await login(d.url);
    d.clock.now += 12 * 60 * 60 * 1000 - 1;
    expect((await send(d.url, "/api/me", { headers: { cookie } })).status).toBe(200);
    d.clock.now += 1;
    expect((await send(d.url, "/api/me", { headers: { cookie } })).status).toBe(401);
  });

  test("GET /api/me refuses a cookie whose payload was changed", async () => {
    const cookie = await login(d.url);
    const [name, token] = cookie.split("=") as [string, string];
    const [payload, signature] = token.split(".") as [string, string];
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as { u: string };
    claims.u = "ivan";
    const forged = `${name}=${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${signature}`;
    expect((await send(d.url, "/api/me", { headers: { cookie: forged } })).status).toBe(401);
    expect((await send(d.url, "/api/me", { headers: { cookie: `${name}=garbage` } })).status).toBe(401);
  });

  test("GET /api/session answers 405 with the allowed methods", async () => {
    const reply = await send(d.url, "/api/session");
    expect(reply.status).toBe(405);
    expect(reply.headers.allow).toBe("POST, DELETE");
  });
});

describe("startDashboard() session options", () => {
  test("POST /api/session behind a trusted proxy limits each X-Forwarded-For client on its own; the header from anyone else is ignored", async () => {
    const proxied = await startTestDashboard({ trustedProxies: ["127.0.0.1"] });
    const direct = await startTestDashboard(); // no proxy configured: the header is anyone's to write
    try {
      const guess = (base: string, forwardedFor: string, password = "wrong") =>
        send(base, "/api/session", {
          method: "POST",
          headers: stateChanging(base, { "content-type": "application/json", "x-forwarded-for": forwardedFor }),
          body: JSON.stringify({ username: USER.username, password }),
        });
      for (let i = 0; i < 10; i++) expect((await guess(proxied.url, "203.0.113.5")).status).toBe(401);
      expect((await guess(proxied.url, "203.0.113.5", USER.password)).status).toBe(429);
      // another client behind the same proxy is not locked out
      expect((await guess(proxied.url, "198.51.100.7", USER.password)).status).toBe(204);
      // the client is the rightmost hop the proxy did not add: a forged left part changes nothing
      expect((await guess(proxied.url, "198.51.100.7, 203.0.113.5", USER.password)).status).toBe(429);

      // Without trusted proxies a changing header does not buy fresh guesses.
      for (let i = 0; i < 10; i++) expect((await guess(direct.url, `203.0.113.${i}`)).status).toBe(401);
      expect((await guess(direct.url, "192.0.2.99", USER.password)).status).toBe(429);
    } finally {
      await proxied.close();
      await direct.close();
    }
  });

  test("startDashboard() with secureCookies issues a Secure __Host- cookie", async () => {
    const secure = await startTestDashboard({ secureCookies: true });
    try {
      const setCookie = (
        await send(secure.url, "/api/session", {
          method: "POST",
          headers: stateChanging(secure.url, { "content-type": "application/json" }),
          body: JSON.stringify(USER),
        })
      ).headers["set-cookie"]![0]!;
      expect(setCookie).toMatch(/^__Host-earshot-session=/);
      expect(setCookie).toContain("; Secure");
      const me = await send(secure.url, "/api/me", { headers: { cookie: setCookie.split(";")[0]! } });
      expect(me.status).toBe(200);
    } finally {
      await secure.close();
    }
  });

  test("startDashboard() refuses a short session secret, and a store without users when none are given", async () => {
    const base = {
      store: d.store,
      events$: d.events,
      acknowledge: async () => null,
      staticDir: d.distDir,
      log: recordingLogger(),
      now: () => 0,
    };
    await expect(
      startDashboard({ ...base, users: [USER], sessionSecret: "short" }, { host: "127.0.0.1", port: 0 }),
    ).rejects.toThrow(/at least 32 characters/);
    await d.store.removeUser(USER.username, 0);
    await d.store.removeUser(OTHER_USER.username, 0);
    await expect(
      startDashboard({ ...base, users: [], sessionSecret: SESSION_SECRET }, { host: "127.0.0.1", port: 0 }),
    ).rejects.toThrow(/no dashboard users/);
  });
});

describe("stored password hashes", () => {
  test("POST /api/session rewrites a hash made with other scrypt parameters after a successful sign-in, and the session outlives it", async () => {
    const quick = await startTestDashboard({ usersRefreshMs: 50 });
    try {
      const old = await hashPassword("old-params-pass", { N: 512, r: 8, p: 1 });
      await quick.store.saveUser({
        username: "marek",
        role: "viewer",
        passwordHash: old,
        passwordSetAt: quick.clock.now,
        lang: null,
        timeZone: null,
        disabled: false,
        createdAt: quick.clock.now,
        updatedAt: quick.clock.now,
      });
      // Another process wrote it: the dashboard sees it at its next re-read.
      let cookie = "";
      await expect.poll(async () => (cookie = await login(quick.url, { username: "marek", password: "old-params-pass" }).catch(() => "")), { timeout: 10_000 }).not.toBe("");
      await expect.poll(async () => (await quick.store.user("marek"))!.passwordHash.split("$").slice(0, 4).join("$"), { timeout: 10_000 }).toBe(
        `scrypt$${TEST_PASSWORD_PARAMS.N}$${TEST_PASSWORD_PARAMS.r}$${TEST_PASSWORD_PARAMS.p}`,
      );
      expect(await verifyPassword("old-params-pass", (await quick.store.user("marek"))!.passwordHash)).toBe(true);
      // Several re-reads (every 50 ms) after the new hash was stored, the session opened before the rewrite still works.
      await new Promise((r) => setTimeout(r, 400));
      expect((await send(quick.url, "/api/me", { headers: { cookie } })).status).toBe(200);
    } finally {
      await quick.close();
    }
  });
});
