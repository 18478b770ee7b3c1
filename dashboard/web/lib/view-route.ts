import type { MessageKey } from "./messages";

/**
 * The dashboard's views, addressed by the URL hash (`#/overview`) so a view
 * can be bookmarked, shared and reached with the browser's back button
 * without a server-side router. An unknown hash shows the live view.
 */

/** In the order the navigation shows them. */
export const VIEWS = ["live"] as const;
export type View = (typeof VIEWS)[number];
export const DEFAULT_VIEW: View = "live";

/** Each view's name in the navigation. */
export const VIEW_LABELS: Record<View, MessageKey> = {
  live: "nav.live",
};

export function viewFromHash(hash: string): View {
  const name = hash.replace(/^#\/?/, "").split(/[/?]/, 1)[0] ?? "";
  return (VIEWS as readonly string[]).includes(name) ? (name as View) : DEFAULT_VIEW;
}

export function hashOf(view: View): string {
  return `#/${view}`;
}
