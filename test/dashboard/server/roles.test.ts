import { describe, expect, test } from "vitest";
import { hasRole, requireRole } from "../../../dashboard/server/roles";
import { isHttpError } from "../../../dashboard/server/http";
import type { Role } from "../../../dashboard/protocol";

describe("roles", () => {
  test.each<[Role, Role, boolean]>([
    ["viewer", "viewer", true],
    ["viewer", "responder", false],
    ["responder", "responder", true],
    ["responder", "admin", false],
    ["admin", "viewer", true],
    ["admin", "admin", true],
  ])("hasRole() %s meets %s: %s", (role, minimum, expected) => {
    expect(hasRole(role, minimum)).toBe(expected);
  });

  test("requireRole() throws 403 naming the role needed when below it", () => {
    let thrown: unknown;
    try {
      requireRole({ role: "viewer" }, "responder");
    } catch (e) {
      thrown = e;
    }
    expect(isHttpError(thrown) && thrown.status).toBe(403);
    expect((thrown as Error).message).toContain("responder");
    expect(() => requireRole({ role: "admin" }, "responder")).not.toThrow();
  });
});
