import { describe, expect, test } from "vitest";
import { DEFAULT_VIEW, hashOf, VIEWS, viewFromHash } from "../../../../dashboard/web/lib/view-route";

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
