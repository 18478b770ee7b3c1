import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { MentionQuery } from "../../../dashboard/protocol";
import { toMentionView } from "../../../dashboard/server/views";
import { matchesMention } from "../../../dashboard/web/lib/mention-filter";
import type { ScoredMention } from "../../../pipeline/mention";
import { openStore } from "../../../pipeline/store/open-store";
import type { Store } from "../../../pipeline/store/store";
import { freshDatabase } from "../../contracts/store.contract";
import { startClickHouseHttp, type ClickHouseHttp } from "../../support/clickhouse-http";
import { tempDirs } from "../../support/temp-dir";

/**
 * The stream query and the workflow tables on both runners: embedded chDB and
 * the server runner (@clickhouse/client) against a ClickHouse-HTTP endpoint
 * backed by the same chDB session.
 */

const dirs = tempDirs();
const dataDir = dirs.make("earshot-workflow-");
const auth = { username: "earshot", password: "workflow pass" };
let endpoint: ClickHouseHttp;
beforeAll(async () => {
  endpoint = await startClickHouseHttp({ dataDir, auth });
});
afterAll(() => endpoint.close());

const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);

function mention(id: string, o: Partial<ScoredMention> = {}): ScoredMention {
  return {
    id: `rss:${id}`,
    source: "rss",
    sourceId: id,
    url: `https://example.com/${id}`,
    authorHandle: "@ola",
    authorName: "Ola",
    authorFollowers: 10,
    title: "",
    text: "Lumio",
    publishedAt: T0,
    collectedAt: T0,
    claimedLang: "",
    rating: null,
    brand: "Lumio",
    matchedTerms: ["Lumio"],
    lang: "pl",
    sentiment: { score: 0, label: "neutral", confidence: 0.5, terms: [] },
    problems: [],
    ...o,
  };
}

const neg: ScoredMention["sentiment"] = { score: -0.7, label: "negative", confidence: 0.8, terms: ["awaria"] };
const pos: ScoredMention["sentiment"] = { score: 0.7, label: "positive", confidence: 0.8, terms: ["super"] };

/** A small stream with every filter's edge: case, Cyrillic and Polish letters, title vs text, no priority stored. */
const MENTIONS: ScoredMention[] = [
  mention("a", { text: "Lumio nie działa, AWARIA od rana", sentiment: neg, problems: [{ type: "outage", terms: ["awaria"] }], priority: "high", publishedAt: T0 + 9 }),
  mention("b", { lang: "ru", text: "Люмио опять не работает, ужасно", sentiment: neg, problems: [{ type: "outage", terms: ["не работает"] }, { type: "service", terms: [] }], priority: "normal", source: "telegram", publishedAt: T0 + 8 }),
  mention("c", { lang: "en", title: "Great Lumio update", text: "love the new app", sentiment: pos, priority: "low", source: "reddit", publishedAt: T0 + 7 }),
  mention("d", { lang: "en", brand: "Acme", text: "Acme delivery late again", sentiment: neg, problems: [{ type: "delivery", terms: ["late"] }], priority: "normal", publishedAt: T0 + 6 }),
  mention("e", { text: "Zażółć gęślą jaźń — Lumio", publishedAt: T0 + 5 }), // stored before priority existed: counts as normal
  mention("f", { lang: "ru", text: "ЛЮМИО: утечка данных", sentiment: neg, problems: [{ type: "security", terms: ["утечка"] }], priority: "high", source: "vk", publishedAt: T0 + 5 }),
  mention("g", { text: "<img src=x onerror=alert(1)> 100% Lumio_test", priority: "low", publishedAt: T0 + 4 }),
];

const CASES: [string, MentionQuery][] = [
  ["no filter", {}],
  ["brand", { brand: "Acme" }],
  ["language", { lang: "ru" }],
  ["sentiment", { sentiment: "negative" }],
  ["source", { source: "telegram" }],
  ["problem type", { problem: "outage" }],
  ["problem type among several", { problem: "service" }],
  ["priority high", { priority: "high" }],
  ["priority normal includes mentions stored without one", { priority: "normal" }],
  ["search ignores case (Latin)", { q: "awaria" }],
  ["search ignores case (Cyrillic)", { q: "люмио" }],
  ["search ignores case (Polish letters)", { q: "ZAŻÓŁĆ GĘŚLĄ" }],
  ["search reads the title", { q: "great lumio" }],
  ["search spans title and text with one space", { q: "update love" }],
  ["search is trimmed", { q: "  nie działa " }],
  ["search treats % and _ literally", { q: "100% lumio_" }],
  ["search finds markup as text", { q: "<img src=x" }],
  ["search that matches nothing", { q: "orleans" }],
  ["filters combine", { lang: "ru", sentiment: "negative", problem: "security" }],
  ["combined filters that exclude all", { brand: "Acme", lang: "pl" }],
];

const RUNNERS: [string, () => Promise<Store>][] = [
  ["embedded chDB", () => openStore({ kind: "embedded", dataDir, database: freshDatabase() })],
  ["server runner", () => openStore({ kind: "server", url: endpoint.url, ...auth, database: freshDatabase() })],
];

describe.each(RUNNERS)("MentionWorkflowStore (%s)", (_name, open) => {
  let store: Store;
  beforeAll(async () => {
    store = await open();
    await store.migrate();
    await store.insertMentions(MENTIONS);
  });
  afterAll(() => store.close());

  test.each(CASES)("streamMentions() agrees with the web predicate: %s", async (_case, query) => {
    const fromSql = (await store.streamMentions({ ...query, limit: 100 })).map((m) => m.id);
    const fromPredicate = MENTIONS.filter((m) => matchesMention(toMentionView(m), query))
      .sort((a, b) => b.publishedAt - a.publishedAt || (a.id < b.id ? 1 : -1))
      .map((m) => m.id);
    expect(fromSql).toEqual(fromPredicate);
  });

  test("streamMentions() pages with a before cursor without gaps or repeats, ties broken by id", async () => {
    const all = (await store.streamMentions({ limit: 100 })).map((m) => m.id);
    expect(all).toEqual(["rss:a", "rss:b", "rss:c", "rss:d", "rss:f", "rss:e", "rss:g"]);
    const paged: string[] = [];
    let before: { publishedAt: number; id: string } | undefined;
    for (;;) {
      const page = await store.streamMentions({ limit: 2, ...(before ? { before } : {}) });
      if (page.length === 0) break;
      paged.push(...page.map((m) => m.id));
      const last = page[page.length - 1]!;
      before = { publishedAt: last.publishedAt, id: last.id };
    }
    expect(paged).toEqual(all);
  });

  test("insertMentions() stores the priority and reads a mention stored without one as having none", async () => {
    expect((await store.mention("rss:a"))?.priority).toBe("high");
    expect((await store.mention("rss:c"))?.priority).toBe("low");
    const e = await store.mention("rss:e");
    expect(e).not.toBeNull();
    expect("priority" in e!).toBe(false);
  });

  test("saveMentionWorkflow() round-trips; the latest save wins and every change stays in the history", async () => {
    const first = {
      mentionId: "rss:a",
      brand: "Lumio",
      status: "in-progress" as const,
      assignee: "ola",
      tags: ["vip", "awaria"],
      note: "Dzwonię do klienta — <b>nie</b> HTML",
      updatedBy: "ola",
      updatedAt: T0 + 60_000,
    };
    await store.saveMentionWorkflow(first);
    expect(await store.mentionWorkflow("rss:a")).toEqual(first);
    const second = { ...first, status: "responded" as const, assignee: null, tags: [], note: "", updatedBy: "ivan", updatedAt: T0 + 60_000 };
    await store.saveMentionWorkflow(second); // same millisecond: still the later save wins
    expect(await store.mentionWorkflow("rss:a")).toEqual(second);
    expect(await store.mentionWorkflows(["rss:a", "rss:b"])).toEqual([second]);
    expect(await store.mentionWorkflow("rss:b")).toBeNull();
    const history = await store.mentionWorkflowHistory("rss:a");
    expect(history.map((h) => [h.status, h.updatedBy, h.assignee])).toEqual([
      ["in-progress", "ola", "ola"],
      ["responded", "ivan", null],
    ]);
    await store.saveMentionWorkflow({ ...first, mentionId: "rss:f", brand: "Lumio", updatedAt: T0 + 120_000 });
    expect((await store.recentMentionWorkflows(10)).map((w) => w.mentionId)).toEqual(["rss:f", "rss:a"]);
    expect(await store.mentionWorkflows([])).toEqual([]);
  });
});
