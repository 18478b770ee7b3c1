import { describe, expect, test } from "vitest";
import { NETWORKS, parseRecording, PHASES, recording, type RecordedPost } from "../../../collectors/demo/recording";
import { configSchema } from "../../../pipeline/config/schema";
import { compileBrands, matchBrands } from "../../../pipeline/stages/match-brands";
import { normalize } from "../../../pipeline/stages/normalize";

const XSS = "<img src=x onerror=alert(1)>";
const share = (posts: readonly RecordedPost[], keep: (p: RecordedPost) => boolean) => posts.filter(keep).length / posts.length;
const ofPhase = (phase: RecordedPost["phase"]) => recording.filter((p) => p.phase === phase);

describe("recording", () => {
  test("recording holds at least 300 unique texts, at least 120 of them from the outage", () => {
    const texts = new Set(recording.map((p) => p.text));
    expect(texts.size).toBe(recording.length);
    expect(texts.size).toBeGreaterThanOrEqual(300);
    expect(new Set(ofPhase("outage").map((p) => p.text)).size).toBeGreaterThanOrEqual(120);
  });

  test("recording covers every phase and splits languages about 40/35/25 between pl, ru and en", () => {
    for (const phase of PHASES) expect(ofPhase(phase).length).toBeGreaterThan(50);
    expect(share(recording, (p) => p.lang === "pl")).toBeCloseTo(0.4, 1);
    expect(share(recording, (p) => p.lang === "ru")).toBeCloseTo(0.35, 1);
    expect(share(recording, (p) => p.lang === "en")).toBeCloseTo(0.25, 1);
    for (const phase of PHASES) {
      expect(new Set(ofPhase(phase).map((p) => p.lang))).toEqual(new Set(["pl", "ru", "en"]));
    }
  });

  test("recording keeps calm mostly friendly, the outage mostly angry and the recovery mixed", () => {
    const calmNegative = share(ofPhase("calm"), (p) => p.tone === "negative");
    expect(calmNegative).toBeGreaterThanOrEqual(0.08);
    expect(calmNegative).toBeLessThanOrEqual(0.16);
    expect(share(ofPhase("outage"), (p) => p.tone === "negative")).toBeGreaterThan(0.85);
    // a few neutral news-like posts in the outage: "Lumio confirms outage"
    expect(ofPhase("outage").some((p) => p.tone === "neutral" && p.network === "news")).toBe(true);
    const recovery = ofPhase("recovery");
    expect(share(recovery, (p) => p.tone === "positive")).toBeGreaterThan(0.25);
    expect(share(recovery, (p) => p.tone === "negative")).toBeGreaterThan(0.25);
  });

  test("recording carries markup, entities and emoji as plain untrusted text", () => {
    const xss = recording.filter((p) => p.text.includes(XSS));
    expect(xss).toHaveLength(1);
    expect(xss[0]!.text.replace(XSS, "")).toMatch(/Lumio/);
    expect(recording.some((p) => p.text.includes("&amp;"))).toBe(true);
    expect(recording.filter((p) => /\p{Extended_Pictographic}/u.test(p.text)).length).toBeGreaterThan(30);
    expect(recording.some((p) => /(^|\s)[:;]-?[()/DP](\s|$)/.test(p.text))).toBe(true);
    expect(recording.some((p) => /#\p{L}+/u.test(p.text))).toBe(true);
    expect(recording.some((p) => /@lumio/i.test(p.text))).toBe(true);
  });

  test("recording writes Polish with diacritics, some posts typed without them, and Russian in Cyrillic", () => {
    const polish = recording.filter((p) => p.lang === "pl");
    const withDiacritics = polish.filter((p) => /[ąćęłńóśźż]/i.test(p.text));
    expect(withDiacritics.length / polish.length).toBeGreaterThan(0.75);
    // typed without diacritics, as people do: "nie dziala", "zasiegu"
    expect(polish.filter((p) => /\b(dziala|zasiegu|dzieki|juz)\b/i.test(p.text)).length).toBeGreaterThanOrEqual(4);
    for (const p of recording.filter((p) => p.lang === "ru")) expect(p.text).toMatch(/\p{Script=Cyrillic}/u);
    // a few posts mix languages
    expect(recording.some((p) => p.lang === "ru" && /nie mam zasięgu/.test(p.text))).toBe(true);
    expect(recording.some((p) => p.lang === "pl" && /deadline is in/.test(p.text))).toBe(true);
  });

  test("recording gives a journalist, bloggers and an influencer 100k+ followers", () => {
    const loud = new Map(recording.filter((p) => p.author.followers >= 100_000).map((p) => [p.author.handle, p]));
    expect(loud.size).toBeGreaterThanOrEqual(3);
    expect([...loud.values()].some((p) => p.network === "news")).toBe(true);
    expect(new Set([...loud.values()].map((p) => p.lang))).toEqual(new Set(["pl", "ru", "en"]));
  });

  test("recording links only to reserved .example hosts and names no real domain in its texts", () => {
    for (const [network, url] of Object.entries(NETWORKS)) {
      expect(new URL(url("some.handle", "1-abc-0-0")).hostname, network).toBe(`${network}.example`);
    }
    const realDomain = /\b[\p{L}\d-]+\.(com|net|org|io|pl|ru|eu|ua|by|de|uk|info|app|tv|me)\b/iu;
    for (const p of recording) {
      expect(p.text, p.text).not.toMatch(realDomain);
      expect(p.text, p.text).not.toMatch(/https?:\/\/|www\./i);
    }
  });

  test("recording names the brand in every text the way the default configuration matches it", () => {
    const matcher = compileBrands(configSchema.parse({}).brands);
    const now = Date.UTC(2026, 10, 23, 12);
    recording.forEach((post, index) => {
      const normalized = normalize({ source: "demo", sourceId: String(index), text: post.text, publishedAt: now }, { now, maxTextChars: 5_000 });
      if (normalized.kind !== "ok") throw new Error(`post ${index} did not normalize: ${JSON.stringify(normalized)}`);
      const matched = matchBrands(normalized.value, matcher);
      expect(matched.kind === "ok" && matched.value.brand, post.text).toBe("Lumio");
    });
  });

  test("parseRecording() refuses a review without a rating and a recording missing a phase", () => {
    const post = { ...recording.find((p) => p.network === "apps")! };
    delete post.rating;
    expect(() => parseRecording([post, ...recording])).toThrow(/rating/);
    expect(() => parseRecording(recording.filter((p) => p.phase !== "recovery"))).toThrow(/every phase/);
    expect(() => parseRecording([{ ...recording[0]!, network: "twitter.com" }])).toThrow();
  });
});
