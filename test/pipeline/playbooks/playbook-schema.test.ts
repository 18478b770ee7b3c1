import { describe, expect, test } from "vitest";
import { playbookListSchema } from "../../../pipeline/playbooks/playbook-schema";
import { SHIPPED_PLAYBOOKS } from "../../../pipeline/playbooks/shipped-playbooks";

const byId = (id: string) => SHIPPED_PLAYBOOKS.find((p) => p.id === id)!;

describe("playbookListSchema", () => {
  test("playbookListSchema refuses an override whose languages do not match", () => {
    const broken = structuredClone(byId("quality"));
    broken.pl.checklist.pop();
    const result = playbookListSchema.safeParse([broken]);
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]).toMatchObject({ path: [0, "pl", "checklist"], message: "has 7 steps; en has 8" });
  });

  test("playbookListSchema refuses empty texts, unknown placeholders and a problem type claimed twice", () => {
    const empty = structuredClone(byId("quality"));
    empty.ru.statements[0]!.text = "   ";
    expect(playbookListSchema.safeParse([empty]).success).toBe(false);
    const typo = structuredClone(byId("quality"));
    typo.en.summary = "Customers of {brnd} complain.";
    expect(playbookListSchema.safeParse([typo]).error!.issues[0]!.message).toContain("unknown placeholder {brnd}");
    const twice = [structuredClone(byId("quality")), { ...structuredClone(byId("default")), id: "other", problemTypes: ["quality"] }];
    expect(playbookListSchema.safeParse(twice).error!.issues[0]!.message).toContain('already belongs to playbook "quality"');
  });
});
