import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  API,
  mentionCursor,
  type ApiError,
  type CorrectionView,
  type MentionWithWorkflow,
  type MentionWorkflowDetail,
  type MentionWorkflowView,
  type ServerMessage,
} from "../../../dashboard/protocol";
import { UserAdmin } from "../../../pipeline/users/user-admin";
import { connectLive, login, makeMention, OTHER_USER, send, startTestDashboard, stateChanging, type TestDashboard } from "./dashboard-fixture";

/** GET /api/mentions with filters and cursor, the mention workflow and problem corrections, over a real server and chDB. */

const VIEWER = { username: "wiktor", password: "viewer-password-123" };
const XSS = "<img src=x onerror=alert(1)>";
let d: TestDashboard;
let cookie = "";
let viewerCookie = "";
const T = Date.UTC(2026, 10, 23, 9, 0, 0);

beforeAll(async () => {
  d = await startTestDashboard({ usersRefreshMs: 50 });
  await d.store.insertMentions([
    makeMention({ id: "demo:p1", text: "Lumio nie działa, AWARIA", publishedAt: T + 5, priority: "high" }),
    makeMention({ id: "demo:p2", lang: "ru", text: "Люмио опять не работает", publishedAt: T + 4, source: "telegram", priority: "normal" }),
    makeMention({
      id: "demo:p3",
      lang: "en",
      text: "Lumio is great",
      publishedAt: T + 3,
      sentiment: { score: 0.8, label: "positive", confidence: 0.9, terms: ["great"] },
      problems: [],
      priority: "low",
    }),
    makeMention({ id: "demo:p4", brand: "Acme", text: XSS, publishedAt: T + 2, problems: [{ type: "security", terms: [] }] }),
    makeMention({ id: "demo:p5", text: "Lumio dostawa spóźniona", publishedAt: T + 2, problems: [{ type: "delivery", terms: ["spóźniona"] }] }),
  ]);
  await new UserAdmin({ store: d.store, now: () => d.clock.now }).add({ username: VIEWER.username, password: VIEWER.password, role: "viewer" });
  cookie = await login(d.url);
  // The directory re-reads users every 50 ms here: sign the viewer in once it is
  // known, and again if a later re-read ended that first session.
  for (let i = 0; i < 100; i++) {
    viewerCookie = await login(d.url, VIEWER).catch(() => "");
    await new Promise((r) => setTimeout(r, 150));
    if (viewerCookie !== "" && (await get(API.me, viewerCookie)).status === 200) break;
  }
});
afterAll(() => d.close());

const get = (path: string, c = cookie) => send(d.url, path, { headers: { cookie: c } });
const write = (method: string, path: string, body: unknown, c = cookie) =>
  send(d.url, path, { method, headers: stateChanging(d.url, { cookie: c, "content-type": "application/json" }), body: JSON.stringify(body) });
const ids = (body: unknown) => (body as MentionWithWorkflow[]).map((m) => m.id);

describe("GET /api/mentions", () => {
  test.each([
    ["", ["demo:p1", "demo:p2", "demo:p3", "demo:p5", "demo:p4"]],
    ["?lang=ru", ["demo:p2"]],
    ["?sentiment=positive", ["demo:p3"]],
    ["?source=telegram", ["demo:p2"]],
    ["?problem=delivery", ["demo:p5"]],
    ["?priority=high", ["demo:p1"]],
    ["?priority=normal", ["demo:p2", "demo:p5", "demo:p4"]],
    ["?brand=Acme", ["demo:p4"]],
    ["?q=awaria", ["demo:p1"]],
    [`?q=${encodeURIComponent("  ЛЮМИО ")}`, ["demo:p2"]],
    [`?q=${encodeURIComponent("<img src")}`, ["demo:p4"]],
    ["?lang=pl&problem=outage&sentiment=negative", ["demo:p1"]],
    ["?limit=2", ["demo:p1", "demo:p2"]],
  ])("GET /api/mentions%s answers the matching mentions newest first", async (query, expected) => {
    const reply = await get(`${API.mentions}${query}`);
    expect(reply.status).toBe(200);
    expect(ids(reply.json())).toEqual(expected);
  });

  test("GET /api/mentions pages older mentions with the before cursor (same time: by id)", async () => {
    const first = (await get(`${API.mentions}?limit=3`)).json() as MentionWithWorkflow[];
    const next = (await get(`${API.mentions}?limit=3&before=${encodeURIComponent(mentionCursor(first.at(-1)!))}`)).json();
    expect(ids(next)).toEqual(["demo:p5", "demo:p4"]);
  });

  test("GET /api/mentions sends the markup as a string and carries priority and workflow", async () => {
    const reply = await get(`${API.mentions}?brand=Acme`);
    const [m] = reply.json() as MentionWithWorkflow[];
    expect(m!.text).toBe(XSS);
    expect(m!.priority).toBeUndefined();
    expect(m!.workflow).toBeUndefined();
    const [high] = (await get(`${API.mentions}?priority=high`)).json() as MentionWithWorkflow[];
    expect(high!.priority).toBe("high");
  });

  test.each([
    ["lang=PL", "lang must be a language code of 2–3 lower-case letters (pl, ru, en, und …)"],
    ["sentiment=angry", "sentiment must be one of negative, neutral, positive"],
    ["source=Bad%20Source", "source must be a source kind (lower-case letters, digits, - and _, at most 40)"],
    ["problem=weather", "problem must be one of outage, delivery, quality, price, service, scandal, security"],
    ["priority=urgent", "priority must be one of high, normal, low"],
    ["q=", "q must be 1–200 characters of text"],
    ["q=%20%20", "q must be 1–200 characters of text"],
    [`q=${"x".repeat(201)}`, "q must be 1–200 characters of text"],
    ["q=a%00b", "q must be 1–200 characters of text"],
    ["q=a&q=b", "q is given more than once"],
    ["before=yesterday", "before must be <publishedAt epoch ms>:<mention id> of the last mention shown"],
    ["before=123", "before must be <publishedAt epoch ms>:<mention id> of the last mention shown"],
    ["limit=0", "limit must be a whole number from 1 to 500"],
    ["limit=501", "limit must be a whole number from 1 to 500"],
    ["brand=", "brand must be 1–200 characters"],
  ])("GET /api/mentions?%s answers 400 naming the parameter", async (query, error) => {
    const reply = await get(`${API.mentions}?${query}`);
    expect(reply.status).toBe(400);
    expect(reply.json()).toEqual({ error } satisfies ApiError);
  });

  test("GET /api/mentions answers 401 without a session and 405 to POST", async () => {
    expect((await send(d.url, API.mentions)).status).toBe(401);
    expect((await write("POST", API.mentions, {})).status).toBe(405);
  });
});

describe("mention workflow", () => {
  test("PATCH then POST the workflow: stored with who and when, merged field by field, shown in the stream and in the history", async () => {
    d.clock.now = T + 60_000;
    const first = await write("PATCH", API.mentionWorkflow("demo:p1"), { status: "in-progress", assignee: OTHER_USER.username, tags: ["vip", " vip ", "prasa"] });
    expect(first.status).toBe(200);
    expect(first.json()).toEqual({
      mentionId: "demo:p1",
      brand: "Lumio",
      status: "in-progress",
      assignee: "ivan",
      tags: ["vip", "prasa"],
      note: "",
      updatedBy: "ola",
      updatedAt: T + 60_000,
    } satisfies MentionWorkflowView);
    d.clock.now = T + 120_000;
    const second = await write("POST", API.mentionWorkflow("demo:p1"), { status: "responded", note: `Odpisałam. ${XSS}` });
    expect((second.json() as MentionWorkflowView).assignee).toBe("ivan");
    expect((second.json() as MentionWorkflowView).note).toBe(`Odpisałam. ${XSS}`);

    const [shown] = (await get(`${API.mentions}?priority=high`)).json() as MentionWithWorkflow[];
    expect(shown!.workflow).toEqual(second.json());
    const detail = (await get(API.mentionWorkflow("demo:p1"))).json() as MentionWorkflowDetail;
    expect(detail.workflow?.status).toBe("responded");
    expect(detail.history.map((h) => [h.status, h.updatedBy, h.updatedAt])).toEqual([
      ["in-progress", "ola", T + 60_000],
      ["responded", "ola", T + 120_000],
    ]);
    const recent = (await get(API.mentionWorkflows)).json() as MentionWorkflowView[];
    expect(recent.map((w) => w.mentionId)).toContain("demo:p1");
  });

  test("a workflow change is broadcast to every live client as a mention-workflow frame", async () => {
    const live = await connectLive(d.url, { cookie, origin: new URL(d.url).origin });
    try {
      expect((await live.next()).type).toBe("snapshot");
      const reply = await write("PATCH", API.mentionWorkflow("demo:p2"), { status: "resolved", assignee: null });
      expect(reply.status).toBe(200);
      const frame: ServerMessage = await live.next();
      expect(frame).toEqual({ type: "mention-workflow", workflow: reply.json() });
    } finally {
      live.ws.close();
    }
  });

  test.each([
    [{ status: "done" }, "status must be one of new, in-progress, responded, resolved"],
    [{ assignee: "nobody-here" }, "assignee must be a dashboard user"],
    [{ assignee: 42 }, "assignee must be a username (at most 64 characters) or null"],
    [{ tags: "vip" }, "tags must be a list of at most 20 strings"],
    [{ tags: [""] }, "tags must each be 1–40 characters of text"],
    [{ note: "x".repeat(2_001) }, "note must be text of at most 2000 characters"],
    [{ priority: "high" }, "priority is not a workflow field"],
    [[], 'the body must be {"status"?, "assignee"?, "tags"?, "note"?}'],
  ])("PATCH the workflow with %j answers 400", async (body, error) => {
    const reply = await write("PATCH", API.mentionWorkflow("demo:p3"), body);
    expect(reply.status).toBe(400);
    expect(reply.json()).toEqual({ error });
  });

  test("the workflow of a mention that is not stored answers 404 and a viewer may read but not change it", async () => {
    expect((await write("PATCH", API.mentionWorkflow("demo:missing"), { status: "resolved" })).status).toBe(404);
    expect(viewerCookie).not.toBe("");
    expect((await get(API.mentionWorkflow("demo:p3"), viewerCookie)).status).toBe(200);
    const refused = await write("PATCH", API.mentionWorkflow("demo:p3"), { status: "resolved" }, viewerCookie);
    expect(refused.status).toBe(403);
    expect(refused.json()).toEqual({ error: "this needs the responder role (you are viewer)" });
    expect((await get(API.mentionWorkflow("demo:p3"))).json()).toEqual({ workflow: null, history: [] });
  });

  test("a state change without the CSRF header is refused", async () => {
    const reply = await send(d.url, API.mentionWorkflow("demo:p3"), {
      method: "PATCH",
      headers: { cookie, "content-type": "application/json" },
      body: JSON.stringify({ status: "resolved" }),
    });
    expect(reply.status).toBe(403);
  });
});

describe("POST /api/mentions/<id>/problems", () => {
  test("stores the team's problem types as a correction, in canonical order", async () => {
    d.clock.now = T + 180_000;
    const reply = await write("POST", API.correctProblems("demo:p5"), { problems: ["service", "delivery", "service"] });
    expect(reply.status).toBe(201);
    expect(reply.json()).toEqual({
      mentionId: "demo:p5",
      field: "problems",
      value: '["delivery","service"]',
      correctedBy: "ola",
      at: T + 180_000,
    } satisfies CorrectionView);
    const stored = await d.store.corrections({ field: "problems", limit: 10 });
    expect(stored.map((c) => [c.mentionId, c.value, c.lang, c.text])).toEqual([["demo:p5", '["delivery","service"]', "pl", "Lumio dostawa spóźniona"]]);
  });

  test.each([[{ problems: ["weather"] }], [{ problems: "outage" }], [{}]])("refuses %j with 400", async (body) => {
    const reply = await write("POST", API.correctProblems("demo:p5"), body);
    expect(reply.status).toBe(400);
    expect((reply.json() as ApiError).error).toBe("problems must be a list of outage, delivery, quality, price, service, scandal, security (empty: none)");
  });

  test("a viewer may not correct problem types", async () => {
    expect((await write("POST", API.correctProblems("demo:p5"), { problems: [] }, viewerCookie)).status).toBe(403);
  });
});
