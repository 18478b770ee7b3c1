import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { ApiError, MeProfile, NewUserReply, UserView } from "../../../dashboard/protocol";
import { UserAdmin } from "../../../pipeline/users/user-admin";
import {
  connectLive,
  heldRequest,
  login,
  makeIncident,
  makeMention,
  OTHER_USER,
  send,
  startTestDashboard,
  stateChanging,
  TEST_PASSWORD_PARAMS,
  USER,
  UpgradeRefused,
  type TestDashboard,
} from "./dashboard-fixture";

let d: TestDashboard;
let admin: string;
beforeEach(async () => {
  d = await startTestDashboard();
  admin = await login(d.url);
});
afterEach(async () => {
  await d.close();
});

const json = (method: string, path: string, cookie: string, body?: unknown) =>
  send(d.url, path, {
    method,
    headers: method === "GET" ? { cookie } : stateChanging(d.url, { cookie, ...(body === undefined ? {} : { "content-type": "application/json" }) }),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

async function addUser(username: string, role: "viewer" | "responder" | "admin", password = `${username}-password`): Promise<string> {
  const reply = await json("POST", "/api/users", admin, { username, role, password });
  expect(reply.status).toBe(201);
  return login(d.url, { username, password });
}

describe("/api/users", () => {
  test("GET /api/users lists users without any password or hash", async () => {
    const reply = await json("GET", "/api/users", admin);
    expect(reply.status).toBe(200);
    const users = reply.json() as UserView[];
    expect(users.map((u) => [u.username, u.role, u.disabled])).toEqual([
      ["ivan", "admin", false],
      ["ola", "admin", false],
    ]);
    expect(reply.text).not.toMatch(/scrypt|password/i);
  });

  test("POST /api/users adds a user who can sign in with their role; without a password one is made and answered once", async () => {
    const added = await json("POST", "/api/users", admin, { username: "kasia", role: "viewer", lang: "pl" });
    expect(added.status).toBe(201);
    const reply = added.json() as NewUserReply;
    expect(reply.user).toMatchObject({ username: "kasia", role: "viewer", lang: "pl", timeZone: null, disabled: false });
    expect(reply.generatedPassword).toMatch(/^[\w-]{16}$/);
    const cookie = await login(d.url, { username: "kasia", password: reply.generatedPassword! });
    expect((await json("GET", "/api/me", cookie)).json()).toEqual({ username: "kasia", role: "viewer", lang: "pl", timeZone: null } satisfies MeProfile);
  });

  test("POST /api/users answers 409 for a taken name and 400 for a bad role or short password", async () => {
    expect((await json("POST", "/api/users", admin, { username: "ivan", role: "viewer", password: "long-enough" })).status).toBe(409);
    expect((await json("POST", "/api/users", admin, { username: "x", role: "owner", password: "long-enough" })).status).toBe(400);
    const short = await json("POST", "/api/users", admin, { username: "x", role: "viewer", password: "short" });
    expect(short.status).toBe(400);
    expect((short.json() as ApiError).error).toMatch(/at least 8 characters/);
  });

  test("/api/users answers 403 to viewers and responders, for reading and for changes", async () => {
    const viewer = await addUser("kasia", "viewer");
    const responder = await addUser("piotr", "responder");
    for (const cookie of [viewer, responder]) {
      expect((await json("GET", "/api/users", cookie)).status).toBe(403);
      expect((await json("POST", "/api/users", cookie, { username: "x", role: "admin", password: "long-enough" })).status).toBe(403);
      expect((await json("PATCH", "/api/users/kasia", cookie, { role: "admin" })).status).toBe(403);
      expect((await json("DELETE", "/api/users/ivan", cookie)).status).toBe(403);
    }
    const refused = await json("GET", "/api/users", viewer);
    expect(refused.json()).toEqual({ error: "this needs the admin role (you are viewer)" });
  });

  test("PATCH /api/users/<name> changes the role, and it applies to the user's open session at once", async () => {
    const kasia = await addUser("kasia", "viewer");
    const incident = makeIncident();
    await d.store.saveIncident(incident);
    const ack = () => json("POST", `/api/incidents/${encodeURIComponent(incident.key)}/acknowledge`, kasia);
    expect((await ack()).status).toBe(403);

    const changed = await json("PATCH", "/api/users/kasia", admin, { role: "responder" });
    expect(changed.status).toBe(200);
    expect((changed.json() as UserView).role).toBe("responder");
    expect((await json("GET", "/api/me", kasia)).json()).toMatchObject({ role: "responder" });
    expect((await ack()).status).toBe(200);
  });

  test("PATCH disabled and DELETE end the user's sessions and sign-ins", async () => {
    const kasia = await addUser("kasia", "responder");
    expect((await json("PATCH", "/api/users/kasia", admin, { disabled: true })).status).toBe(200);
    expect((await json("GET", "/api/me", kasia)).status).toBe(401);
    await expect(login(d.url, { username: "kasia", password: "kasia-password" })).rejects.toThrow(/401/);

    expect((await json("PATCH", "/api/users/kasia", admin, { disabled: false })).status).toBe(200);
    const again = await login(d.url, { username: "kasia", password: "kasia-password" });
    expect((await json("DELETE", "/api/users/kasia", admin)).status).toBe(204);
    expect((await json("GET", "/api/me", again)).status).toBe(401);
    expect((await json("DELETE", "/api/users/kasia", admin)).status).toBe(404);
  });

  test("PATCH and DELETE refuse with 409 to leave no enabled admin", async () => {
    expect((await json("PATCH", "/api/users/ivan", admin, { role: "viewer" })).status).toBe(200);
    const demote = await json("PATCH", "/api/users/ola", admin, { role: "responder" });
    expect(demote.status).toBe(409);
    expect((demote.json() as ApiError).error).toMatch(/last admin/);
    expect((await json("PATCH", "/api/users/ola", admin, { disabled: true })).status).toBe(409);
    expect((await json("DELETE", "/api/users/ola", admin)).status).toBe(409);
    expect((await json("GET", "/api/me", admin)).json()).toMatchObject({ role: "admin" });
  });

  test("PATCH /api/users/<name> with a new password ends the sessions made with the old one", async () => {
    const ivan = await login(d.url, OTHER_USER);
    expect((await json("PATCH", "/api/users/ivan", admin, { password: "a-brand-new-one" })).status).toBe(200);
    expect((await json("GET", "/api/me", ivan)).status).toBe(401);
    await login(d.url, { username: "ivan", password: "a-brand-new-one" });
  });

  test("/api/users/<name> answers 405 to GET and 400 to a body that is not an object", async () => {
    expect((await json("GET", "/api/users/ivan", admin)).status).toBe(405);
    const bad = await send(d.url, "/api/users/ivan", { method: "PATCH", headers: stateChanging(d.url, { cookie: admin, "content-type": "application/json" }), body: "[1]" });
    expect(bad.status).toBe(400);
  });
});

describe("PATCH /api/me", () => {
  test("PATCH /api/me keeps the user's language and time zone, which GET /api/me then answers", async () => {
    const reply = await json("PATCH", "/api/me", admin, { lang: "ru", timeZone: "Asia/Vladivostok" });
    expect(reply.status).toBe(200);
    expect(reply.json()).toEqual({ username: "ola", role: "admin", lang: "ru", timeZone: "Asia/Vladivostok" });
    // A fresh sign-in (another browser) gets the same settings.
    const other = await login(d.url);
    expect((await json("GET", "/api/me", other)).json()).toMatchObject({ lang: "ru", timeZone: "Asia/Vladivostok" });
  });

  test("PATCH /api/me twice at once keeps both changes (one does not undo the other)", async () => {
    const [a, b] = await Promise.all([json("PATCH", "/api/me", admin, { lang: "pl" }), json("PATCH", "/api/me", admin, { timeZone: "Europe/Warsaw" })]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect((await json("GET", "/api/me", admin)).json()).toMatchObject({ lang: "pl", timeZone: "Europe/Warsaw" });
  });

  test("PATCH /api/me answers 400 to an unknown language or time zone", async () => {
    expect((await json("PATCH", "/api/me", admin, { lang: "de" })).status).toBe(400);
    expect((await json("PATCH", "/api/me", admin, { timeZone: "Mars/Olympus" })).status).toBe(400);
  });

  test("PATCH /api/me changes the password only with the current one, and keeps this session on a new cookie", async () => {
    const wrong = await json("PATCH", "/api/me", admin, { password: { current: "not-it", next: "new-password-1" } });
    expect(wrong.status).toBe(403);
    const other = await login(d.url);
    const changed = await json("PATCH", "/api/me", admin, { password: { current: USER.password, next: "new-password-1" } });
    expect(changed.status).toBe(200);
    const fresh = changed.headers["set-cookie"]![0]!.split(";")[0]!;
    expect((await json("GET", "/api/me", fresh)).status).toBe(200);
    expect((await json("GET", "/api/me", other)).status).toBe(401);
    await login(d.url, { username: "ola", password: "new-password-1" });
  });

  test("PATCH /api/me counts wrong current passwords sent at once: those past the limit answer 429", async () => {
    const headers = stateChanging(d.url, { cookie: admin, "content-type": "application/json" });
    const held = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        heldRequest(d.url, "/api/me", headers, JSON.stringify({ password: { current: `guess-${i}`, next: "new-password-1" } }), "PATCH"),
      ),
    );
    for (const h of held) h.release();
    const statuses = (await Promise.all(held.map((h) => h.reply))).sort();
    expect(statuses).toEqual([...Array<number>(10).fill(403), 429, 429]);
  });
});

describe("roles on state-changing routes", () => {
  test("a viewer reads but cannot acknowledge, silence or correct; a responder can", async () => {
    const viewer = await addUser("kasia", "viewer");
    const responder = await addUser("piotr", "responder");
    const mention = makeMention();
    await d.store.insertMentions([mention]);
    await d.store.saveIncident(makeIncident());
    const actions = (cookie: string) => [
      json("POST", "/api/incidents/Lumio%3Aspike%3A1/acknowledge", cookie),
      json("POST", "/api/silences", cookie, { endsAt: d.clock.now + 3_600_000, brand: "Lumio" }),
      json("POST", `/api/mentions/${encodeURIComponent(mention.id)}/sentiment`, cookie, { label: "positive" }),
    ];
    expect((await json("GET", "/api/incidents", viewer)).status).toBe(200);
    expect((await Promise.all(actions(viewer))).map((r) => r.status)).toEqual([403, 403, 403]);
    expect((await Promise.all(actions(responder))).map((r) => r.status)).toEqual([200, 201, 201]);
  });
});

describe("users changed by another process", () => {
  test("a user removed straight in the store (as `earshot users` does) loses their session at the next re-read", async () => {
    const quick = await startTestDashboard({ usersRefreshMs: 50 });
    try {
      const ivan = await login(quick.url, OTHER_USER);
      // Another process: its own UserAdmin on the same database.
      await new UserAdmin({ store: quick.store, now: () => quick.clock.now, params: TEST_PASSWORD_PARAMS }).remove("ivan");
      await expect.poll(async () => (await send(quick.url, "/api/me", { headers: { cookie: ivan } })).status, { timeout: 10_000 }).toBe(401);
    } finally {
      await quick.close();
    }
  });
});

describe("the live socket", () => {
  test("a disabled user's cookie no longer opens the live socket", async () => {
    const kasia = await addUser("kasia", "viewer");
    const live = await connectLive(d.url, { cookie: kasia, origin: new URL(d.url).origin });
    live.ws.close();
    expect((await json("PATCH", "/api/users/kasia", admin, { disabled: true })).status).toBe(200);
    const refused = await connectLive(d.url, { cookie: kasia, origin: new URL(d.url).origin }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(UpgradeRefused);
    expect((refused as UpgradeRefused).status).toBe(401);
  });
});
