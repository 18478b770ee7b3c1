import { describe, expect, test } from "vitest";
import { playbookFor, playbooks } from "../../../pipeline/playbooks/playbook-for";
import { playbookListSchema } from "../../../pipeline/playbooks/playbook-schema";
import { SHIPPED_PLAYBOOKS } from "../../../pipeline/playbooks/shipped-playbooks";
import { PROBLEM_TYPES } from "../../../pipeline/stages/problems/problem-types";

const byId = (id: string) => SHIPPED_PLAYBOOKS.find((p) => p.id === id)!;

describe("playbookFor()", () => {
  test("playbookFor() picks the playbook of each problem type and the default for the rest", () => {
    expect(PROBLEM_TYPES.map((t) => [t, playbookFor(t, "en").id])).toEqual([
      ["outage", "outage"],
      ["delivery", "delivery"],
      ["quality", "quality"],
      ["price", "default"],
      ["service", "default"],
      ["scandal", "scandal"],
      ["security", "security"],
    ]);
    expect(playbookFor(null, "pl").id).toBe("default");
    expect(playbookFor("no-such-type", "ru").id).toBe("default");
  });

  test("playbookFor() speaks the asked language and fills brand, contact and minutes", () => {
    const view = playbookFor("outage", "pl", { values: { brand: "Lumio", statusPage: "status.lumio.pl", support: "pomoc@lumio.pl" } });
    expect(view.title).toBe("Awaria usługi");
    expect(view.checklist[0]).toBe(
      "W ciągu 15 minut publicznie potwierdź problem tam, gdzie skarg jest najwięcej, nawet jeśli przyczyna nie jest jeszcze znana.",
    );
    expect(view.statements[0]!.text).toBe(
      "Wiemy, że Lumio nie działa obecnie prawidłowo u części z Was. Nasz zespół już nad tym pracuje; kolejną informację opublikujemy w ciągu 30 minut na status.lumio.pl. Przepraszamy za utrudnienia.",
    );
    expect(playbookFor("outage", "ru", { values: { brand: "Lumio" } }).checklist[0]).toMatch(/^В течение 15 минут/);
  });

  test("playbookFor() leaves placeholders without a value visible for the person who publishes", () => {
    const view = playbookFor("delivery", "en", { values: { brand: "Lumio" } });
    expect(view.statements[1]!.text).toContain("will arrive by {date}");
    expect(view.statements[0]!.text).toContain("contact us at {support}");
  });

  test("playbookFor() inserts values literally, once, on one line", () => {
    const hostile = "Acme {support} $& $1 <b>x</b>\nSecond line\u2028";
    const view = playbookFor("default", "en", { values: { brand: hostile, support: "help@acme.test" } });
    expect(view.summary).toBe("Negative mentions of Acme {support} $& $1 <b>x</b> Second line are rising and no particular problem type stands out yet.");
    expect(view.statements[1]!.text).toContain("contact us at help@acme.test.");
  });

  test("playbookFor() caps a filled value at 300 characters and treats a blank one as missing", () => {
    const view = playbookFor("default", "en", { values: { brand: "B".repeat(1_000), support: "   " } });
    expect(view.summary).toContain(`${"B".repeat(300)} are rising`);
    expect(view.statements[1]!.text).toContain("{support}");
  });

  test("playbookFor() uses a configured playbook in place of the shipped one with its id", () => {
    const custom = structuredClone(byId("outage"));
    custom.acknowledgeWithinMinutes = 5;
    custom.en.title = "Platform down";
    const [override] = playbookListSchema.parse([custom]);
    const view = playbookFor("outage", "en", { overrides: [override!] });
    expect([view.title, view.checklist[0]!.startsWith("Within 5 minutes")]).toEqual(["Platform down", true]);
  });

  test("playbookFor() gives a configured playbook the problem types it claims", () => {
    const price = { ...structuredClone(byId("default")), id: "price", problemTypes: ["price", "quality"] };
    const [override] = playbookListSchema.parse([price]);
    expect(playbookFor("price", "en", { overrides: [override!] }).id).toBe("price");
    expect(playbookFor("quality", "en", { overrides: [override!] }).id).toBe("price");
    expect(playbooks([override!]).find((p) => p.id === "quality")!.problemTypes).toEqual([]);
  });
});
