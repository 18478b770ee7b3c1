import { z } from "zod";
import type { MentionPriority, ScoredMention } from "../mention";

/**
 * How urgently a person should look at a mention: high, normal or low.
 *
 * Crisis practice puts two kinds of voice first: the customers the brand
 * cannot afford to lose, and the authors many people hear. So a mention by an
 * author the configuration lists for the brand (a key customer, a journalist,
 * a regulator) is always high; otherwise the author's reach and how worrying
 * the mention is add up:
 *
 *   reach points:   ≥ highReach followers 4, ≥ midReach 2, ≥ lowReach 1, else 0
 *   concern points: negative sentiment 1; the weightiest problem type it reports:
 *                   outage, security or scandal 2, any other type 1
 *
 *   high   when it is of some concern and reach + concern ≥ 5
 *          (a 5k-follower "the app is down again, awful"; a 50k-follower complaint);
 *   low    when it is of no concern (not negative, no problem) and the author is not high-reach;
 *   normal otherwise.
 *
 * On the hot path: one Map lookup per mention (and string work only for brands
 * that list authors), no allocation besides the handle key.
 */

export type { MentionPriority } from "../mention";

/** Reach thresholds (followers), set once in configuration. */
export interface PrioritySettings {
  highReach: number;
  midReach: number;
  lowReach: number;
}

/** Configuration fragment for `pipeline/config/schema.ts`: the top-level `priority` object. */
export const prioritySettingsSchema = z
  .strictObject({
    highReach: z.number().int().min(1).default(50_000).describe("Authors with at least this many followers are high-reach: their complaints are high priority."),
    midReach: z.number().int().min(1).default(5_000).describe("Followers from which an author's worrying mention (negative and an outage, security or scandal) is high priority."),
    lowReach: z.number().int().min(0).default(500).describe("Followers from which an author counts a little towards priority."),
  })
  .refine((s) => s.lowReach <= s.midReach && s.midReach <= s.highReach, "priority reach thresholds must satisfy lowReach ≤ midReach ≤ highReach")
  .describe("How mentions are ranked high / normal / low (pipeline/stages/rank-priority.ts).");

/**
 * Configuration fragment for each entry of `brands[]` in `pipeline/config/schema.ts`
 * (spread it into the brand object like `brandFields`): the brand's key customers
 * and known high-reach authors, as handles per source kind ("*" for any source).
 * Handles compare without a leading "@" and without regard to case.
 */
export const priorityBrandFields = {
  vipAuthors: z
    .record(z.string().min(1).max(40), z.array(z.string().trim().min(1).max(200)).max(10_000))
    .default({})
    .describe('Key customers and known high-reach authors of this brand, as handles per source kind ("*": any source); their mentions are always high priority.'),
};

export type PrioritySettingsConfig = z.infer<typeof prioritySettingsSchema>;
export type VipAuthorsConfig = z.infer<typeof priorityBrandFields.vipAuthors>;

export const DEFAULT_PRIORITY_SETTINGS: PrioritySettings = { highReach: 50_000, midReach: 5_000, lowReach: 500 };

/** The configuration compiled for lookups: brand → source kind ("*" too) → handles (folded). */
export interface PriorityRules {
  settings: PrioritySettings;
  vips: ReadonlyMap<string, ReadonlyMap<string, ReadonlySet<string>>>;
}

/** A handle as compared: no leading "@", lower case. */
export function foldHandle(handle: string): string {
  return (handle.charCodeAt(0) === 64 /* @ */ ? handle.slice(1) : handle).toLowerCase();
}

export function compilePriorityRules(
  brands: readonly { name: string; vipAuthors?: VipAuthorsConfig }[],
  settings: PrioritySettings = DEFAULT_PRIORITY_SETTINGS,
): PriorityRules {
  const vips = new Map<string, Map<string, Set<string>>>();
  for (const brand of brands) {
    const bySource = new Map<string, Set<string>>();
    for (const [source, handles] of Object.entries(brand.vipAuthors ?? {})) {
      const folded = new Set(handles.map((h) => foldHandle(h.trim())).filter((h) => h !== ""));
      if (folded.size > 0) bySource.set(source.toLowerCase(), folded);
    }
    if (bySource.size > 0) vips.set(brand.name, bySource);
  }
  return { settings: { ...settings }, vips };
}

export const DEFAULT_PRIORITY_RULES: PriorityRules = compilePriorityRules([]);

/** The fields priority reads: a ScoredMention has them all. */
export type PriorityInput = Pick<ScoredMention, "brand" | "source" | "authorHandle" | "authorFollowers" | "sentiment" | "problems">;

const HEAVY_PROBLEMS: ReadonlySet<string> = new Set(["outage", "security", "scandal"]);

export function isVipAuthor(m: Pick<ScoredMention, "brand" | "source" | "authorHandle">, rules: PriorityRules): boolean {
  const bySource = rules.vips.get(m.brand);
  if (bySource === undefined || m.authorHandle === "") return false;
  const handle = foldHandle(m.authorHandle);
  return bySource.get(m.source)?.has(handle) === true || bySource.get("*")?.has(handle) === true;
}

/** Pure and cheap; see the rules above. */
export function rankPriority(m: PriorityInput, rules: PriorityRules = DEFAULT_PRIORITY_RULES): MentionPriority {
  if (isVipAuthor(m, rules)) return "high";
  const { highReach, midReach, lowReach } = rules.settings;
  const followers = m.authorFollowers > 0 ? m.authorFollowers : 0;
  const reach = followers >= highReach ? 4 : followers >= midReach ? 2 : followers >= lowReach && lowReach > 0 ? 1 : 0;
  let problem = 0;
  for (let i = 0; i < m.problems.length && problem < 2; i++) problem = HEAVY_PROBLEMS.has(m.problems[i]!.type) ? 2 : 1;
  const concern = (m.sentiment.label === "negative" ? 1 : 0) + problem;
  if (concern === 0) return reach === 4 ? "normal" : "low";
  return reach + concern >= 5 ? "high" : "normal";
}
