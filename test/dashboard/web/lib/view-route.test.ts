import { describe, expect, test } from "vitest";
import { DEFAULT_VIEW, hashOf, VIEWS, viewFromHash, viewsFor } from "../../../../dashboard/web/lib/view-route";

describe("view-route", () => {
  test("viewFromHash() reads every view back from its own hash", () => {
    for (const view of VIEWS) expect(viewFromHash(hashOf(view))).toBe(view);
  });

  test.each(["", "#", "#/", "#/no-such-view", "#/<script>", "#/constructor", "#/__proto__"])(
    "viewFromHash() falls back to the default view for %j",
    (hash) => {
      expect(viewFromHash(hash)).toBe(DEFAULT_VIEW);
    },
  );

  test("viewFromHash() ignores what follows the view name", () => {
    expect(viewFromHash(`${hashOf(DEFAULT_VIEW)}/extra?x=1`)).toBe(DEFAULT_VIEW);
  });
});

describe("viewsFor()", () => {
  const rank = { viewer: 0, responder: 1, admin: 2 } as const;
  const as = (role: keyof typeof rank) => (minimum: keyof typeof rank) => rank[role] >= rank[minimum];

  test("viewsFor() shows the Users view to admins only, in navigation order", () => {
    expect(viewsFor(as("admin"))).toEqual([...VIEWS]);
    expect(viewsFor(as("responder"))).not.toContain("users");
    expect(viewsFor(as("viewer"))).toEqual(VIEWS.filter((v) => v !== "users"));
  });
});
