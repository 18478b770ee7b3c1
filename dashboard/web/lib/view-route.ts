import type { Role } from "../../protocol";
import type { MessageKey } from "./messages";

/**
 * The dashboard's views, addressed by the URL hash (`#/overview`) so a view
 * can be bookmarked, shared and reached with the browser's back button
 * without a server-side router. An unknown hash shows the live view.
 */

/** In the order the navigation shows them. */
export const VIEWS = ["live", "overview", "reports", "users"] as const;
export type View = (typeof VIEWS)[number];
export const DEFAULT_VIEW: View = "live";

/** Each view's name in the navigation. */
export const VIEW_LABELS: Record<View, MessageKey> = {
  live: "nav.live",
  overview: "overview.nav",
  reports: "nav.reports",
  users: "users.nav",
};

/** The least role a view is shown to (the server refuses its API to the rest anyway); unlisted: everyone. */
export const VIEW_ROLES: Partial<Record<View, Role>> = {
  users: "admin",
};

/** The views a user with these rights sees, in navigation order. */
export function viewsFor(can: (minimum: Role) => boolean): View[] {
  return VIEWS.filter((view) => {
    const minimum = VIEW_ROLES[view];
    return minimum === undefined || can(minimum);
  });
}

export function viewFromHash(hash: string): View {
  const name = hash.replace(/^#\/?/, "").split(/[/?]/, 1)[0] ?? "";
  return (VIEWS as readonly string[]).includes(name) ? (name as View) : DEFAULT_VIEW;
}

export function hashOf(view: View): string {
  return `#/${view}`;
}
