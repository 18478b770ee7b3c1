import { describe, expect, test } from "vitest";
import { z } from "zod";
import type { MentionPriority, ProblemType, SentimentLabel } from "../../../pipeline/mention";
import {
  compilePriorityRules,
  DEFAULT_PRIORITY_RULES,
  priorityBrandFields,
  prioritySettingsSchema,
  rankPriority,
  type PriorityInput,
} from "../../../pipeline/stages/rank-priority";

function input(followers: number, label: SentimentLabel, problems: ProblemType[] = [], o: Partial<PriorityInput> = {}): PriorityInput {
  return {
    brand: "Lumio",
    source: "reddit",
    authorHandle: "u_kasia",
    authorFollowers: followers,
    sentiment: { score: label === "negative" ? -0.6 : 0, label, confidence: 0.8, terms: [] },
    problems: problems.map((type) => ({ type, terms: [] })),
    ...o,
  };
}

describe("rankPriority()", () => {
  test.each<[string, PriorityInput, MentionPriority]>([
    ["a small account's neutral post is low", input(10, "neutral"), "low"],
    ["a small account's praise is low", input(300, "positive"), "low"],
    ["a mid-reach account's praise is low", input(20_000, "positive"), "low"],
    ["a high-reach account's praise is normal (worth a look, not urgent)", input(80_000, "positive"), "normal"],
    ["a small account's complaint is normal", input(10, "negative"), "normal"],
    ["a small account reporting an outage is normal", input(10, "negative", ["outage"]), "normal"],
    ["a 500-follower outage complaint is normal", input(500, "negative", ["outage"]), "normal"],
    ["a 5k-follower outage complaint is high", input(5_000, "negative", ["outage"]), "high"],
    ["a 5k-follower security mention without negative words is normal", input(5_000, "neutral", ["security"]), "normal"],
    ["a 5k-follower negative security report is high", input(5_000, "negative", ["security"]), "high"],
    ["a 5k-follower delivery complaint is normal (not a weighty type)", input(5_000, "negative", ["delivery"]), "normal"],
    ["a 5k-follower complaint with a weighty type after a light one is high", input(5_000, "negative", ["price", "scandal"]), "high"],
    ["a 50k-follower complaint is high", input(50_000, "negative"), "high"],
    ["a 50k-follower neutral price question is high", input(50_000, "neutral", ["price"]), "high"],
    ["unknown followers (0) with a scandal complaint is normal", input(0, "negative", ["scandal"]), "normal"],
    ["negative follower counts read as none", input(-5, "positive"), "low"],
  ])("rankPriority() with default rules: %s", (_name, m, expected) => {
    expect(rankPriority(m, DEFAULT_PRIORITY_RULES)).toBe(expected);
  });

  const rules = compilePriorityRules(
    [
      { name: "Lumio", vipAuthors: { reddit: ["@BigCustomer"], "*": ["journalist_anna"] } },
      { name: "Acme", vipAuthors: {} },
    ],
    { highReach: 50_000, midReach: 5_000, lowReach: 500 },
  );

  test.each<[string, PriorityInput, MentionPriority]>([
    ["a listed key customer's praise on their source is high", input(3, "positive", [], { authorHandle: "bigcustomer" }), "high"],
    ["the handle compares without @ and case", input(3, "neutral", [], { authorHandle: "@BIGCUSTOMER" }), "high"],
    ["a handle listed for another source is not a match", input(3, "positive", [], { authorHandle: "bigcustomer", source: "vk" }), "low"],
    ["a handle listed for any source (*) matches on every source", input(3, "positive", [], { authorHandle: "@Journalist_Anna", source: "telegram" }), "high"],
    ["a key author of another brand is not a key author here", input(3, "positive", [], { brand: "Acme", authorHandle: "bigcustomer" }), "low"],
    ["an empty handle never matches", input(3, "positive", [], { authorHandle: "" }), "low"],
  ])("rankPriority() with key authors: %s", (_name, m, expected) => {
    expect(rankPriority(m, rules)).toBe(expected);
  });

  test("rankPriority() follows configured thresholds", () => {
    const strict = compilePriorityRules([], { highReach: 1_000_000, midReach: 100_000, lowReach: 10_000 });
    expect(rankPriority(input(50_000, "negative"), strict)).toBe("normal");
    expect(rankPriority(input(1_000_000, "negative"), strict)).toBe("high");
  });
});

describe("priority configuration fragments", () => {
  test("prioritySettingsSchema defaults the thresholds and refuses them out of order", () => {
    expect(prioritySettingsSchema.parse({})).toEqual({ highReach: 50_000, midReach: 5_000, lowReach: 500 });
    const bad = prioritySettingsSchema.safeParse({ highReach: 100, midReach: 5_000 });
    expect(bad.success).toBe(false);
    expect(z.prettifyError(bad.error!)).toContain("lowReach ≤ midReach ≤ highReach");
  });

  test("priorityBrandFields.vipAuthors defaults to none and trims handles", () => {
    const brand = z.strictObject({ name: z.string(), ...priorityBrandFields });
    expect(brand.parse({ name: "Lumio" })).toEqual({ name: "Lumio", vipAuthors: {} });
    expect(brand.parse({ name: "Lumio", vipAuthors: { reddit: [" anna "] } }).vipAuthors).toEqual({ reddit: ["anna"] });
    expect(brand.safeParse({ name: "Lumio", vipAuthors: { reddit: [""] } }).success).toBe(false);
  });
});
