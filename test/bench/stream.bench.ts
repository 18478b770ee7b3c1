import type { MentionView } from "../../dashboard/protocol";
import { combineStream, mergeMentionBatches } from "../../dashboard/web/lib/feed-merge";
import { mentionMatcher } from "../../dashboard/web/lib/mention-filter";
import type { ScoredMention } from "../../pipeline/mention";
import { compilePriorityRules, rankPriority } from "../../pipeline/stages/rank-priority";
import { fixed, int, type Section } from "./figures";

/**
 * The live stream's costs per mention:
 * - priority ranking on the pipeline's hot path (with 1,000 key authors listed for the brand);
 * - the browser's work per animation frame: merging the frames that arrived,
 *   filtering the live list and joining it with 300 loaded mentions — at 5,000
 *   mentions/s in frames of 50 and a 60 Hz screen, ≈ 83 mentions per paint.
 */
export async function benchStream(opts: { progress(line: string): void }): Promise<Section[]> {
  const LANGS = ["pl", "ru", "en"] as const;
  const LABELS = ["negative", "neutral", "positive"] as const;
  const scored: ScoredMention[] = Array.from({ length: 10_000 }, (_, i) => ({
    id: `demo:${i}`,
    source: i % 3 === 0 ? "reddit" : "demo",
    sourceId: String(i),
    url: "",
    authorHandle: `@author${i % 5_000}`,
    authorName: "",
    authorFollowers: (i * 7919) % 200_000,
    title: "",
    text: `Lumio post ${i} ${i % 7 === 0 ? "awaria" : "ok"}`,
    publishedAt: 1_700_000_000_000 + i,
    collectedAt: 1_700_000_000_000 + i,
    claimedLang: "",
    rating: null,
    brand: "Lumio",
    matchedTerms: [],
    lang: LANGS[i % 3]!,
    sentiment: { score: 0, label: LABELS[i % 3]!, confidence: 1, terms: [] },
    problems: i % 7 === 0 ? [{ type: "outage", terms: [] }] : [],
  }));
  const rules = compilePriorityRules([
    { name: "Lumio", vipAuthors: { reddit: Array.from({ length: 1_000 }, (_, i) => `author${i * 3}`) } },
  ]);

  opts.progress("stream: priority ranking");
  const ROUNDS = 100;
  let high = 0;
  const t0 = performance.now();
  for (let r = 0; r < ROUNDS; r++) for (const m of scored) if (rankPriority(m, rules) === "high") high++;
  const rankNs = ((performance.now() - t0) * 1e6) / (ROUNDS * scored.length);

  opts.progress("stream: merge + filter per paint");
  const views: MentionView[] = scored.map((m) => ({
    id: m.id,
    source: m.source,
    url: m.url,
    authorHandle: m.authorHandle,
    authorName: m.authorName,
    authorFollowers: m.authorFollowers,
    title: m.title,
    text: m.text,
    lang: m.lang,
    publishedAt: m.publishedAt,
    brand: m.brand,
    matchedTerms: [],
    sentiment: m.sentiment,
    problems: m.problems,
    priority: rankPriority(m, rules),
  }));
  const pages = views.slice(0, 300);
  const matches = mentionMatcher({ lang: "pl", q: "awaria" });
  const PER_PAINT = 83;
  let list: MentionView[] = [];
  let shown = 0;
  const paints = Math.floor((views.length - 300) / PER_PAINT);
  const t1 = performance.now();
  for (let p = 0; p < paints; p++) {
    const from = 300 + p * PER_PAINT;
    const frames = [views.slice(from, from + 50), views.slice(from + 50, from + PER_PAINT)];
    list = mergeMentionBatches(list, frames, 500);
    shown += combineStream(list.filter(matches), pages, 1_500).length;
  }
  const perPaintMs = (performance.now() - t1) / paints;
  return [
    {
      title: "Live stream",
      figures: [
        { label: "priority ranking", value: `${fixed(rankNs, 0)} ns/mention`, note: `${int(1e9 / rankNs)} mentions/s on one core; ${int(high / ROUNDS)} of ${int(scored.length)} high` },
        {
          label: "browser work per paint at 5,000 mentions/s",
          value: `${fixed(perPaintMs * 1000, 0)} µs`,
          note: `merge ${PER_PAINT} new into 500, filter, join 300 loaded (${int(shown / paints)} shown); a 60 Hz frame has 16,667 µs`,
        },
        { label: "mentions/s the merge keeps up with", value: int((PER_PAINT / perPaintMs) * 1000), note: "merge + filter only, not the DOM" },
      ],
    },
  ];
}
