import type { Role } from "../protocol";
import { HttpError } from "./http";

/**
 * Who may do what. Roles are ordered: a viewer reads; a responder also acts
 * on incidents and mentions (acknowledge, silence, correct, assign); an admin
 * also manages users. Every state-changing route names the least role it needs.
 */

const RANK: Record<Role, number> = { viewer: 0, responder: 1, admin: 2 };

export function hasRole(role: Role, minimum: Role): boolean {
  return RANK[role] >= RANK[minimum];
}

/** Throws 403 naming the role needed when the signed-in user's role is below `minimum`. */
export function requireRole(session: { role: Role }, minimum: Role): void {
  if (!hasRole(session.role, minimum)) throw new HttpError(403, `this needs the ${minimum} role (you are ${session.role})`);
}
