import { describe, expect, test } from "vitest";
import { actorName } from "../../../pipeline/alerts/actor-name";

describe("actorName()", () => {
  test("actorName() names the person and the service, clips the name and drops control characters", () => {
    expect(actorName("Anna Nowak", "PagerDuty")).toBe("Anna Nowak (PagerDuty)");
    expect(actorName("  @oleg\u0007\u001b[31m ", "Slack")).toBe("@oleg[31m (Slack)");
    expect(actorName("x".repeat(500), "Opsgenie")).toBe(`${"x".repeat(64)} (Opsgenie)`);
  });

  test("actorName() says someone when the service names nobody", () => {
    expect(actorName(undefined, "Opsgenie")).toBe("someone (Opsgenie)");
    expect(actorName("   ", "PagerDuty")).toBe("someone (PagerDuty)");
  });
});
