import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { API, type ApiError, type Role, type WeeklyReportDetailView, type WeeklyReportView } from "../../../dashboard/protocol";
import type { Session } from "../../../dashboard/server/auth";
import { HttpError, isHttpError, sendError } from "../../../dashboard/server/http";
import { createReportRoutes } from "../../../dashboard/server/report-routes";
import { pdfText } from "../../pipeline/reports/support/pdf-text";
import { seedWeek, ZONE } from "../../pipeline/reports/support/seed-week";
import { login, send, startTestDashboard, stateChanging, type TestDashboard } from "./dashboard-fixture";

/**
 * The report routes over real HTTP and chDB: first on a bare server whose
 * session (user and role) the test chooses, in the Warsaw zone; then wired
 * into the whole dashboard, behind sign-in and CSRF.
 */

let d: TestDashboard;
let bare: Server;
let base = "";
let role: Role = "responder";
const NOW = Date.parse("2026-11-25T12:00:00Z");

beforeAll(async () => {
  d = await startTestDashboard();
  await seedWeek(d.store);
  const routes = createReportRoutes({ store: d.store, timeZone: ZONE, brands: ["Lumio", "Other"], now: () => NOW });
  bare = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://reports.invalid");
    const session: Session = { username: "anna", role, id: "s", expiresAt: NOW + 3_600_000, stamp: "" };
    routes(req, res, url, session)
      .then((handled) => {
        if (!handled) throw new HttpError(404, "not a report route");
      })
      .catch((err: unknown) => (isHttpError(err) ? sendError(res, err.status, err.message, { ...err.headers }) : sendError(res, 500, String(err))));
  });
  await new Promise<void>((r) => bare.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => bare.close(() => r()));
  await d.close();
});

const post = (body: unknown, url = base, headers: Record<string, string> = {}) =>
  send(url, API.reports, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

describe("createReportRoutes()", () => {
  let made: WeeklyReportView;

  test("POST /api/reports makes a responder's report now, for last week by default", async () => {
    role = "responder";
    const reply = await post({ brand: "lumio", lang: "pl" });
    expect(reply.status).toBe(201);
    made = reply.json() as WeeklyReportView;
    expect(made).toMatchObject({ brand: "Lumio", week: "2026-W47", lang: "pl", timeZone: ZONE, producedBy: "anna", producedAt: NOW });
    expect(made.id).toMatch(/^2026-W47-pl-[0-9a-f]{12}$/);
    expect(made.pdfBytes).toBeGreaterThan(10_000);
  });

  test("GET /api/reports lists stored reports, newest week first, and filters by brand", async () => {
    await post({ brand: "Lumio", week: "2026-W46", lang: "en" });
    const list = (await send(base, API.reports)).json() as WeeklyReportView[];
    expect(list.map((r) => [r.brand, r.week, r.lang])).toEqual([
      ["Lumio", "2026-W47", "pl"],
      ["Lumio", "2026-W46", "en"],
    ]);
    expect((await send(base, `${API.reports}?brand=Other`)).json()).toEqual([]);
  });

  test("GET /api/reports/<id> answers the stored figures", async () => {
    const detail = (await send(base, API.report(made.id))).json() as WeeklyReportDetailView;
    expect(detail.report).toEqual(made);
    expect(detail.figures.counts).toEqual({ total: 11, negative: 6, positive: 3, neutral: 2 });
    expect(detail.figures.daily.map((x) => x.total)).toEqual([3, 4, 0, 2, 1, 0, 1]);
  });

  test("GET /api/reports/<id>.pdf downloads the stored PDF as an attachment", async () => {
    const response = await fetch(`${base}${API.reportPdf(made.id)}`);
    const reply = { status: response.status, headers: Object.fromEntries(response.headers), body: Buffer.from(await response.arrayBuffer()) };
    expect(reply.status).toBe(200);
    expect(reply.headers["content-type"]).toBe("application/pdf");
    expect(reply.headers["content-disposition"]).toBe(
      `attachment; filename="earshot-lumio-2026-W47-pl.pdf"; filename*=UTF-8''earshot-lumio-2026-W47-pl.pdf`,
    );
    expect(reply.body.length).toBe(made.pdfBytes);
    expect((await pdfText(reply.body)).text).toMatch(/Wzmianki 11 ▲ \+120% wobec 2026-W46/);
  });

  test("the report routes refuse a viewer's POST, unknown brands, weeks and languages, and unknown ids", async () => {
    role = "viewer";
    const refused = await post({ brand: "Lumio" });
    expect(refused.status).toBe(403);
    expect((refused.json() as ApiError).error).toContain("responder");
    role = "responder";
    const bad = await post({ brand: "Nope", week: "2026-W99", lang: "de" });
    expect(bad.status).toBe(400);
    expect((bad.json() as ApiError).error).toBe(
      "brand must be one of: Lumio, Other; week must be an ISO 8601 week such as 2026-W47; lang must be en, pl or ru",
    );
    expect((await post({ brand: "Lumio", week: "2027-W01" })).status).toBe(400);
    expect((await send(base, `${API.reports}/2026-W47-pl-000000000000.pdf`)).status).toBe(404);
    expect((await send(base, `${API.reports}/../../etc/passwd`)).status).toBe(404);
    expect((await send(base, `${API.reports}?limit=0`)).status).toBe(400);
    expect((await send(base, API.report(made.id), { method: "DELETE" })).status).toBe(405);
  });
});

describe("the report routes in the dashboard", () => {
  test("GET /api/reports needs a session, and a signed-in user makes and downloads a report with the CSRF header", async () => {
    expect((await send(d.url, API.reports)).status).toBe(401);
    const cookie = await login(d.url);
    expect((await post({ brand: "Lumio", week: "2026-W47" }, d.url, { cookie })).status).toBe(403); // no CSRF header
    const made = await post({ brand: "Lumio", week: "2026-W47" }, d.url, stateChanging(d.url, { cookie }));
    expect(made.status).toBe(201);
    const { id } = made.json() as WeeklyReportView;
    const listed = (await send(d.url, API.reports, { headers: { cookie } })).json() as WeeklyReportView[];
    expect(listed.map((r) => r.id)).toContain(id);
    const pdf = await send(d.url, API.reportPdf(id), { headers: { cookie } });
    expect(pdf.status).toBe(200);
    expect(pdf.headers["content-type"]).toBe("application/pdf");
    expect(pdf.headers["content-disposition"]).toMatch(/^attachment; filename="earshot-lumio-2026-W47-en\.pdf"/);
  });
});
