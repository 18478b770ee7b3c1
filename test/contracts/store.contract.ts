import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { Incident, ScoredMention, Sentiment } from "../../pipeline/mention";
import type { NotificationRecord, QuarantineRecord, Store } from "../../pipeline/store/store";

/**
 * What every Store backend must do, whatever runs the SQL. Each test opens its
 * own store through `open`, which must give it a database of its own (see
 * `freshDatabase`): one chDB session serves the whole process, so databases
 * are what keep the tests apart.
 */
export function storeContract(name: string, open: () => Promise<Store>): void {
  const it = test.extend<{ store: Store }>({
    store: async ({}, use) => {
      const store = await open();
      try {
        await use(store);
      } finally {
        await store.close();
      }
    },
  });

  describe(`Store contract: ${name}`, () => {
    it("migrate() runs again on a migrated database and keeps its data", async ({ store }) => {
      await store.insertMentions([mention({ id: "rss:1" })]);
      await store.migrate();
      await store.migrate();
      expect(await store.countMentions({})).toBe(1);
    });

    it("recentMentions() reads back every field of stored mentions verbatim", async ({ store }) => {
      const tricky = mention({
        id: "rss:zażółć",
        sourceId: "zażółć",
        url: "https://example.pl/wpis?id=1&lang=pl#'quote'",
        authorHandle: "@Jan_Kowalski",
        authorName: "Jan \"Janek\" Kowalski",
        authorFollowers: 123_456,
        title: "Awaria: <b>Lumio</b> nie działa!",
        text:
          "Zażółć gęślą jaźń — Lumio znowu nie działa 😡🔥\n" +
          "Люмио опять не работает, ужас!\t«цитата»\n" +
          "It's a \"disaster\" \\ C:\\path\\n <script>alert('x')</script> ' OR 1=1 --",
        publishedAt: Date.UTC(2024, 4, 17, 12, 34, 56, 789),
        collectedAt: Date.UTC(2024, 4, 17, 12, 35, 1, 2),
        claimedLang: "pl-PL",
        rating: 1.5,
        matchedTerms: ["Lumio", "Люмио*"],
        lang: "pl",
        sentiment: { score: -0.875, label: "negative", confidence: 0.93, terms: ["nie działa", "ужас", "😡"] },
        problems: [
          { type: "outage", terms: ["nie działa", "не работает"] },
          { type: "security", terms: ["' OR 1=1 --"] },
        ],
      });
      const plain = mention({
        id: "rss:plain",
        sourceId: "plain",
        publishedAt: Date.UTC(2024, 4, 17, 12, 0, 0, 1),
        collectedAt: Date.UTC(2024, 4, 17, 12, 0, 0, 1),
        rating: null,
        matchedTerms: [],
        sentiment: { score: 0, label: "neutral", confidence: 0, terms: [] },
      });
      await store.insertMentions([plain, tricky]);
      expect(await store.recentMentions({ limit: 10 })).toEqual([tricky, plain]);
    });

    it("recentMentions() returns any Unicode text exactly as stored", async ({ store }) => {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(fc.string({ unit: "binary", maxLength: 200 }), { minLength: 1, maxLength: 20 }), async (texts) => {
          const brand = `brand${run++}`;
          const batch = texts.map((text, i) => mention({ id: `rss:${brand}-${i}`, brand, text, title: text.slice(0, 20), publishedAt: T0 + i }));
          await store.insertMentions(batch);
          const back = await store.recentMentions({ brand, limit: 100 });
          expect(back.map((m) => [m.id, m.text, m.title])).toEqual(
            [...batch].reverse().map((m) => [m.id, m.text, m.title]),
          );
        }),
        { numRuns: 15 },
      );
    });

    it("insertMentions() of the same mention again is one row in every read", async ({ store }) => {
      const first = mention({ id: "rss:dup", publishedAt: T0 + 5_000, collectedAt: T0 + 10_000, sentiment: negative });
      const recollected = { ...first, collectedAt: T0 + 70_000, text: "edited later", authorFollowers: 99 };
      await store.insertMentions([first, first]);
      await store.insertMentions([first]);
      await store.insertMentions([recollected]);

      const recent = await store.recentMentions({ limit: 10 });
      expect(recent).toEqual([recollected]);
      expect(await store.countMentions({})).toBe(1);
      expect(await store.countMentions({ brand: "Lumio" })).toBe(1);
      expect(await store.minuteCounts({ brand: "Lumio", from: T0, to: T0 + 60_000 })).toEqual([
        { brand: "Lumio", minute: T0, total: 1, negative: 1 },
      ]);
    });

    it("recentMentions() returns newest first, only the brand asked for, up to the limit", async ({ store }) => {
      const a1 = mention({ id: "rss:a1", brand: "Acme", publishedAt: T0 + 1_000 });
      const a2 = mention({ id: "rss:a2", brand: "Acme", publishedAt: T0 + 3_000 });
      const a3 = mention({ id: "rss:a3", brand: "Acme", publishedAt: T0 + 2_000 });
      const b1 = mention({ id: "rss:b1", brand: "Beta", publishedAt: T0 + 4_000 });
      const sameTimeA = mention({ id: "rss:a4", brand: "Acme", publishedAt: T0 + 3_000 });
      await store.insertMentions([a1, a2, b1]);
      await store.insertMentions([a3, sameTimeA]);

      expect(ids(await store.recentMentions({ limit: 10 }))).toEqual(["rss:b1", "rss:a4", "rss:a2", "rss:a3", "rss:a1"]);
      expect(ids(await store.recentMentions({ brand: "Acme", limit: 2 }))).toEqual(["rss:a4", "rss:a2"]);
      expect(ids(await store.recentMentions({ brand: "Gamma", limit: 10 }))).toEqual([]);
    });

    it("countMentions() counts distinct mentions of one brand or of all", async ({ store }) => {
      await store.insertMentions([
        mention({ id: "rss:1", brand: "Acme" }),
        mention({ id: "rss:2", brand: "Acme" }),
        mention({ id: "rss:3", brand: "Beta" }),
      ]);
      expect(await store.countMentions({})).toBe(3);
      expect(await store.countMentions({ brand: "Acme" })).toBe(2);
      expect(await store.countMentions({ brand: "Gamma" })).toBe(0);
    });

    it("minuteCounts() buckets one brand's mentions and negatives per minute within [from, to)", async ({ store }) => {
      const minute = (n: number) => T0 + n * 60_000;
      await store.insertMentions([
        mention({ id: "rss:m0a", publishedAt: minute(0), sentiment: negative }),
        mention({ id: "rss:m0b", publishedAt: minute(0) + 59_999, sentiment: negative }),
        mention({ id: "rss:m0c", publishedAt: minute(0) + 30_000, sentiment: positive }),
        mention({ id: "rss:m1a", publishedAt: minute(1) + 1, sentiment: positive }),
        mention({ id: "rss:m3a", publishedAt: minute(3), sentiment: negative }),
        mention({ id: "rss:m5a", publishedAt: minute(5), sentiment: negative }),
        mention({ id: "rss:other", brand: "Other", publishedAt: minute(0) + 10, sentiment: negative }),
      ]);
      expect(await store.minuteCounts({ brand: "Lumio", from: minute(0), to: minute(5) })).toEqual([
        { brand: "Lumio", minute: minute(0), total: 3, negative: 2 },
        { brand: "Lumio", minute: minute(1), total: 1, negative: 0 },
        { brand: "Lumio", minute: minute(3), total: 1, negative: 1 },
      ]);
      expect(await store.minuteCounts({ brand: "Lumio", from: minute(1), to: minute(3) })).toEqual([
        { brand: "Lumio", minute: minute(1), total: 1, negative: 0 },
      ]);
      expect(await store.minuteCounts({ brand: "Other", from: minute(0), to: minute(1) })).toEqual([
        { brand: "Other", minute: minute(0), total: 1, negative: 1 },
      ]);
      expect(await store.minuteCounts({ brand: "Nobody", from: minute(0), to: minute(9) })).toEqual([]);
    });

    it("brands() lists each brand with stored mentions once", async ({ store }) => {
      expect(await store.brands()).toEqual([]);
      await store.insertMentions([
        mention({ id: "rss:1", brand: "Lumio" }),
        mention({ id: "rss:2", brand: "Acme" }),
        mention({ id: "rss:3", brand: "Lumio", publishedAt: T0 + 3_600_000 }),
      ]);
      expect([...(await store.brands())].sort()).toEqual(["Acme", "Lumio"]);
    });

    it("insertMentions() and quarantine() with nothing to store change nothing", async ({ store }) => {
      await store.insertMentions([]);
      await store.quarantine([]);
      expect(await store.countMentions({})).toBe(0);
      expect(await store.quarantined(10)).toEqual([]);
    });

    it("saveIncident() upserts by key and the latest updatedAt wins", async ({ store }) => {
      const firing = incident({ key: "lumio-1", updatedAt: T0 + 1_000 });
      const acknowledged: Incident = {
        ...firing,
        state: "acknowledged",
        updatedAt: T0 + 5_000,
        acknowledgedAt: T0 + 5_000,
        acknowledgedBy: "Ewa Nowak",
      };
      const staleRepeat: Incident = { ...firing, updatedAt: T0 + 3_000, peakNegative: 40 };
      await store.saveIncident(firing);
      await store.saveIncident(acknowledged);
      await store.saveIncident(staleRepeat);

      expect(await store.incident("lumio-1")).toEqual(acknowledged);
      expect(await store.incidents({ limit: 10 })).toEqual([acknowledged]);

      const resolved: Incident = { ...acknowledged, state: "resolved", updatedAt: T0 + 9_000, resolvedAt: T0 + 9_000 };
      await store.saveIncident(resolved);
      expect(await store.incident("lumio-1")).toEqual(resolved);
    });

    it("saveIncident() keeps the kind and source of a source-down incident", async ({ store }) => {
      const down = incident({ key: "source-vk-1-1", kind: "source-down", source: "vk-1", brand: "", summary: "Source vk-1 is down" });
      await store.saveIncident(down);
      expect(await store.incident("source-vk-1-1")).toEqual(down);
    });

    it("incident() is null for a key never saved", async ({ store }) => {
      expect(await store.incident("no-such-incident")).toBeNull();
    });

    it("incidents() returns newest first by startedAt, only the brand asked for, up to the limit", async ({ store }) => {
      const older = incident({ key: "a-1", brand: "Acme", startedAt: T0 });
      const newer = incident({ key: "a-2", brand: "Acme", startedAt: T0 + 120_000, severity: "critical" });
      const other = incident({ key: "b-1", brand: "Beta", startedAt: T0 + 60_000 });
      await store.saveIncident(older);
      await store.saveIncident(other);
      await store.saveIncident(newer);

      expect((await store.incidents({ limit: 10 })).map((i) => i.key)).toEqual(["a-2", "b-1", "a-1"]);
      expect(await store.incidents({ brand: "Acme", limit: 1 })).toEqual([newer]);
      expect(await store.incidents({ brand: "Gamma", limit: 10 })).toEqual([]);
    });

    it("channelHealth() sums up each channel's last attempt and the failures since its last delivery", async ({ store }) => {
      const attempt = (channel: string, at: number, status: "delivered" | "failed" | "silenced", error = "") =>
        notification({ channel, target: `https://${channel}.example/x`, at, status, error, httpStatus: status === "failed" ? 503 : 204 });
      for (const n of [
        attempt("slack", T0, "delivered"),
        attempt("slack", T0 + 1_000, "failed", "HTTP 503"),
        attempt("slack", T0 + 2_000, "failed", "HTTP 503 again"),
        attempt("teams", T0, "failed", "timeout"),
        attempt("teams", T0 + 1_000, "delivered"),
        attempt("teams", T0 + 2_000, "silenced", "silenced by ola"),
        attempt("email", T0, "failed", "EAUTH"),
        attempt("old", T0 - 10_000, "failed", "gone"),
      ])
        await store.recordNotification(n);
      expect(await store.channelHealth({ since: T0 - 1_000 })).toEqual([
        { channel: "email", target: "https://email.example/x", lastAttemptAt: T0, lastStatus: "failed", lastError: "EAUTH", lastDeliveredAt: null, failuresSinceDelivered: 1 },
        { channel: "slack", target: "https://slack.example/x", lastAttemptAt: T0 + 2_000, lastStatus: "failed", lastError: "HTTP 503 again", lastDeliveredAt: T0, failuresSinceDelivered: 2 },
        { channel: "teams", target: "https://teams.example/x", lastAttemptAt: T0 + 1_000, lastStatus: "delivered", lastError: "", lastDeliveredAt: T0 + 1_000, failuresSinceDelivered: 0 },
      ]);
    });

    it("notifications() returns every attempt for the incident, oldest first", async ({ store }) => {
      const failed = notification({ attempt: 1, status: "failed", httpStatus: 503, error: "HTTP 503 from hook", at: T0 + 1_000 });
      const delivered = notification({ attempt: 2, status: "delivered", httpStatus: 200, error: "", at: T0 + 3_000 });
      const resolvedNotice = notification({ event: "resolved", attempt: 1, httpStatus: null, at: T0 + 9_000 });
      const elsewhere = notification({ incidentKey: "other", at: T0 + 2_000 });
      await store.recordNotification(resolvedNotice);
      await store.recordNotification(elsewhere);
      await store.recordNotification(delivered);
      await store.recordNotification(failed);

      expect(await store.notifications("lumio-1")).toEqual([failed, delivered, resolvedNotice]);
      expect(await store.notifications("never")).toEqual([]);
    });

    it("saveCursor() upserts by source id and cursor() reads the last save back", async ({ store }) => {
      await store.saveCursor("rss-pl", { etag: 'W/"abc"', since: 1 });
      await store.saveCursor("rss-pl", { etag: 'W/"def"', since: 2, lastTitle: "Люмио «новости»", note: null });
      await store.saveCursor("reddit", { after: "t3_xyz" });

      expect(await store.cursor("rss-pl")).toEqual({ etag: 'W/"def"', since: 2, lastTitle: "Люмио «новости»", note: null });
      expect(await store.cursor("reddit")).toEqual({ after: "t3_xyz" });
      expect(await store.cursor("never-polled")).toBeNull();
    });

    it("quarantined() returns quarantined items newest first, up to the limit", async ({ store }) => {
      const old = quarantined({ at: T0, reason: "empty-text", payload: '{"source":"rss","text":""}' });
      const mid = quarantined({ at: T0 + 1_000, stage: "score-sentiment", reason: "threw", error: "RangeError: ✗" });
      const latest = quarantined({ at: T0 + 2_000, payload: "<script>alert('x')</script> \\ \"q\" Привет 👋" });
      await store.quarantine([mid, old]);
      await store.quarantine([latest]);

      expect(await store.quarantined(10)).toEqual([latest, mid, old]);
      expect(await store.quarantined(1)).toEqual([latest]);
    });

    it("mentionsBetween() returns one brand's mentions in [from, to), oldest first, of one label when asked", async ({ store }) => {
      await store.insertMentions([
        mention({ id: "rss:b", publishedAt: T0 + 2_000, sentiment: negative }),
        mention({ id: "rss:a", publishedAt: T0 + 1_000, sentiment: positive }),
        mention({ id: "rss:c", publishedAt: T0 + 3_000, sentiment: negative }),
        mention({ id: "rss:late", publishedAt: T0 + 60_000, sentiment: negative }),
        mention({ id: "rss:other", brand: "Acme", publishedAt: T0 + 2_000, sentiment: negative }),
      ]);
      const between = { brand: "Lumio", from: T0, to: T0 + 60_000, limit: 10 };
      expect(ids(await store.mentionsBetween(between))).toEqual(["rss:a", "rss:b", "rss:c"]);
      expect(ids(await store.mentionsBetween({ ...between, label: "negative" }))).toEqual(["rss:b", "rss:c"]);
      expect(ids(await store.mentionsBetween({ ...between, limit: 1 }))).toEqual(["rss:a"]);
    });

    it("mention() reads one stored mention by id and null for an unknown id", async ({ store }) => {
      const stored = mention({ id: "rss:one", text: "Lumio nie działa" });
      await store.insertMentions([stored, mention({ id: "rss:two" })]);
      expect(await store.mention("rss:one")).toEqual(stored);
      expect(await store.mention("rss:none")).toBeNull();
    });

    it("corrections() returns the newest correction per mention for the field asked, oldest first", async ({ store }) => {
      const correction = (mentionId: string, value: string, at: number, field: "sentiment" | "problems" = "sentiment") => ({
        mentionId,
        field,
        value,
        text: `tekst ${mentionId}`,
        lang: "pl" as const,
        correctedBy: "ala",
        at,
      });
      await store.saveCorrection(correction("rss:a", "neutral", T0 + 1));
      await store.saveCorrection(correction("rss:b", "positive", T0 + 2));
      await store.saveCorrection(correction("rss:a", "negative", T0 + 3));
      await store.saveCorrection(correction("rss:a", '["outage"]', T0 + 4, "problems"));
      expect(await store.corrections({ field: "sentiment", limit: 10 })).toEqual([
        correction("rss:b", "positive", T0 + 2),
        correction("rss:a", "negative", T0 + 3),
      ]);
      expect(await store.corrections({ field: "problems", limit: 10 })).toEqual([
        correction("rss:a", '["outage"]', T0 + 4, "problems"),
      ]);
      expect(await store.corrections({ field: "sentiment", limit: 1 })).toHaveLength(1);
    });

    it("silences() lists silences not over yet and a saved silence saved again replaces it", async ({ store }) => {
      const HOUR = 3_600_000;
      const silence = (id: string, endsAt: number, brand: string | null = "Lumio") => ({
        id,
        brand,
        problem: id === "delivery" ? "delivery" : null,
        startsAt: T0,
        endsAt,
        createdBy: "ola",
        reason: "planned maintenance",
        createdAt: T0,
      });
      await store.saveSilence(silence("over", T0 + HOUR));
      await store.saveSilence(silence("delivery", T0 + 5 * HOUR));
      await store.saveSilence(silence("all", T0 + 3 * HOUR, null));
      const now = T0 + 2 * HOUR;
      expect(await store.silences({ now })).toEqual([silence("all", T0 + 3 * HOUR, null), silence("delivery", T0 + 5 * HOUR)]);
      await store.saveSilence(silence("all", now));
      expect((await store.silences({ now })).map((s) => s.id)).toEqual(["delivery"]);
      expect(await store.silence("all")).toEqual(silence("all", now, "Lumio"));
      expect(await store.silence("none")).toBeNull();
    });

    it("saveDetectorStates() upserts by brand, the newest save wins, and a large state reads back verbatim", async ({ store }) => {
      const big = JSON.stringify({ slots: Array.from({ length: 20_000 }, (_, i) => i / 7), note: "zażółć «цитата» \" ' \\" });
      await store.saveDetectorStates([
        { brand: "Lumio", throughMinute: T0, savedAt: T0 + 1_000, state: "old" },
        { brand: "Aster", throughMinute: T0, savedAt: T0 + 1_000, state: big },
      ]);
      await store.saveDetectorStates([{ brand: "Lumio", throughMinute: T0 + 60_000, savedAt: T0 + 61_000, state: "new" }]);
      expect(await store.detectorStates()).toEqual([
        { brand: "Aster", throughMinute: T0, savedAt: T0 + 1_000, state: big },
        { brand: "Lumio", throughMinute: T0 + 60_000, savedAt: T0 + 61_000, state: "new" },
      ]);
      await store.saveDetectorStates([]);
      expect(await store.detectorStates()).toHaveLength(2);
    });

    it("incidentEvents() returns one incident's timeline oldest first", async ({ store }) => {
      const event = (incidentKey: string, at: number, type: "firing" | "acknowledged" | "resolved", actor = "earshot") => ({
        incidentKey,
        at,
        type,
        actor,
        detail: type === "firing" ? "Lumio: 12 negative mentions in one minute (usual 1)" : "",
      });
      await store.recordIncidentEvent(event("lumio-1", T0 + 5, "resolved"));
      await store.recordIncidentEvent(event("lumio-1", T0, "firing"));
      await store.recordIncidentEvent(event("acme-1", T0 + 1, "firing"));
      await store.recordIncidentEvent(event("lumio-1", T0 + 2, "acknowledged", "ola"));
      expect(await store.incidentEvents("lumio-1")).toEqual([
        event("lumio-1", T0, "firing"),
        event("lumio-1", T0 + 2, "acknowledged", "ola"),
        event("lumio-1", T0 + 5, "resolved"),
      ]);
      expect(await store.incidentEvents("none")).toEqual([]);
    });

    it("every query parameter holding SQL is treated as data", async ({ store }) => {
      const evil = "x'; DROP TABLE mentions; --";
      const evil2 = "\\'); DROP DATABASE default; SELECT ('";
      const evilMention = mention({ id: `rss:${evil}`, brand: evil, text: evil2 });
      await store.insertMentions([evilMention, mention({ id: "rss:fine" })]);
      await store.saveIncident(incident({ key: evil, brand: evil2 }));
      await store.recordNotification(notification({ incidentKey: evil2 }));
      await store.saveCursor(evil, { v: evil2 });

      expect(await store.recentMentions({ brand: evil, limit: 5 })).toEqual([evilMention]);
      expect(await store.countMentions({ brand: evil })).toBe(1);
      expect(await store.minuteCounts({ brand: evil, from: T0, to: T0 + 60_000 })).toHaveLength(1);
      expect(await store.incident(evil)).toMatchObject({ key: evil, brand: evil2 });
      expect(await store.incidents({ brand: evil2, limit: 5 })).toHaveLength(1);
      expect(await store.notifications(evil2)).toHaveLength(1);
      expect(await store.cursor(evil)).toEqual({ v: evil2 });
      // Everything is still there.
      expect(await store.countMentions({})).toBe(2);
      expect(await store.brands()).toContain("Lumio");
    });
  });
}

/** A database name of its own for one store. */
export const freshDatabase = (): string => `earshot_test_${randomBytes(6).toString("hex")}`;

/** 2024-05-17 12:00:00 UTC: a whole minute. */
const T0 = Date.UTC(2024, 4, 17, 12, 0, 0, 0);

const negative: Sentiment = { score: -0.5, label: "negative", confidence: 0.75, terms: ["nie działa"] };
const positive: Sentiment = { score: 0.5, label: "positive", confidence: 0.75, terms: ["polecam"] };

function mention(overrides: Partial<ScoredMention> & { id: string }): ScoredMention {
  const sourceId = overrides.id.slice(overrides.id.indexOf(":") + 1);
  return {
    source: "rss",
    sourceId,
    url: `https://example.com/${encodeURIComponent(sourceId)}`,
    authorHandle: "@someone",
    authorName: "Someone",
    authorFollowers: 10,
    title: "",
    text: "Lumio działa",
    publishedAt: T0,
    collectedAt: T0 + 2_000,
    claimedLang: "",
    rating: null,
    brand: "Lumio",
    matchedTerms: ["Lumio"],
    lang: "pl",
    ...overrides,
    sentiment: overrides.sentiment ? { ...overrides.sentiment, terms: [...overrides.sentiment.terms] } : { ...positive, terms: [...positive.terms] },
    problems: overrides.problems ?? [],
  };
}

function incident(overrides: Partial<Incident> & { key: string }): Incident {
  return {
    kind: "spike",
    source: null,
    brand: "Lumio",
    state: "firing",
    severity: "warning",
    startedAt: T0,
    updatedAt: T0 + 1_000,
    acknowledgedAt: null,
    acknowledgedBy: null,
    resolvedAt: null,
    peakNegative: 12,
    baseline: 1.25,
    firstMentionId: "rss:first",
    summary: "Lumio: 12 negative mentions a minute (baseline 1.25) — «nie działa»",
    ...overrides,
  };
}

function notification(overrides: Partial<NotificationRecord>): NotificationRecord {
  return {
    incidentKey: "lumio-1",
    channel: "webhook",
    target: "https://hooks.example.com/earshot",
    event: "firing",
    attempt: 1,
    status: "delivered",
    httpStatus: 204,
    error: "",
    at: T0,
    ...overrides,
  };
}

function quarantined(overrides: Partial<QuarantineRecord>): QuarantineRecord {
  return { at: T0, stage: "normalize", reason: "empty-text", payload: "{}", error: "", ...overrides };
}

const ids = (mentions: readonly ScoredMention[]) => mentions.map((m) => m.id);
