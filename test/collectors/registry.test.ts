import { z } from "zod";
import { describe, expect, test } from "vitest";
import { DEFAULT_JITTER_MS, DEFAULT_SCHEDULE, pollingSources, sourceEntrySchema, sourceIds, sourceListSchema, streamingSources } from "../../collectors/registry";

describe("registry", () => {
  test("registry lists rss as polled and demo as streaming", () => {
    expect(Object.keys(pollingSources)).toEqual(["rss", "hackernews", "reddit", "mastodon", "bluesky", "youtube", "app-store", "google-play", "vk", "telegram", "file-import"]);
    expect(Object.keys(streamingSources)).toEqual(["demo"]);
    for (const [kind, source] of [...Object.entries(pollingSources), ...Object.entries(streamingSources)]) expect(source.kind).toBe(kind);
  });
});

describe("sourceEntrySchema", () => {
  test("sourceEntrySchema applies schedule and jitter defaults to a polled source and keeps its options flat", () => {
    expect(sourceEntrySchema.parse({ kind: "rss", url: "https://wiadomosci.example.pl/rss/kraj.xml" })).toEqual({
      kind: "rss",
      id: undefined,
      schedule: DEFAULT_SCHEDULE,
      jitterMs: DEFAULT_JITTER_MS,
      url: "https://wiadomosci.example.pl/rss/kraj.xml",
    });
  });

  test("sourceEntrySchema keeps an explicit id, schedule, jitter and language", () => {
    const entry = { kind: "rss", id: "kraj", schedule: "*/2 * * * *", jitterMs: 0, url: "https://example.pl/rss", lang: "pl" };
    expect(sourceEntrySchema.parse(entry)).toEqual(entry);
  });

  test("sourceEntrySchema reports every problem of every entry with its path", () => {
    const schema = z.object({ sources: z.array(sourceEntrySchema) });
    const result = schema.safeParse({
      sources: [
        { kind: "rss", url: "https://ok.example.com/feed" },
        { kind: "rss", url: "not a url", urll: "typo", schedule: "sometimes" },
        { kind: "twitter" },
      ],
    });
    expect(result.success).toBe(false);
    const issues = result.error?.issues.map((i) => [i.path.join("."), i.code]);
    expect(issues).toEqual([
      ["sources.1.schedule", "custom"],
      ["sources.1.url", "invalid_format"],
      ["sources.1", "unrecognized_keys"],
      ["sources.2.kind", "invalid_union"],
    ]);
    const pretty = z.prettifyError(result.error!);
    expect(pretty).toContain("sources[1].schedule");
    expect(pretty).toContain("sources[2].kind");
  });

  test("sourceEntrySchema refuses a bad id and a negative jitter", () => {
    const result = sourceEntrySchema.safeParse({ kind: "rss", id: "no spaces please", jitterMs: -1, url: "https://example.com/feed" });
    expect(result.error?.issues.map((i) => i.path.join("."))).toEqual(["id", "jitterMs"]);
  });

  test("sourceEntrySchema accepts a streaming source without schedule fields", () => {
    const parsed = sourceEntrySchema.parse({ kind: "demo" });
    expect(parsed.kind).toBe("demo");
    expect(parsed).not.toHaveProperty("schedule");
  });
});

describe("sourceListSchema", () => {
  test("sourceListSchema refuses two sources with the same id, explicit or defaulted", () => {
    const result = sourceListSchema.safeParse([
      { kind: "rss", url: "https://a.example.com/feed" },
      { kind: "rss", id: "rss-1", url: "https://b.example.com/feed" },
    ]);
    expect(result.error?.issues).toEqual([expect.objectContaining({ path: [1, "id"], message: 'id "rss-1" is also used by sources[0]' })]);
  });
});

describe("sourceIds()", () => {
  test("sourceIds() numbers each kind on its own and keeps explicit ids", () => {
    expect(sourceIds([{ kind: "demo" }, { kind: "rss" }, { kind: "rss", id: "kraj" }, { kind: "rss" }, { kind: "demo" }])).toEqual([
      "demo-1",
      "rss-1",
      "kraj",
      "rss-3",
      "demo-2",
    ]);
  });
});
