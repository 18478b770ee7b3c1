import type { RawMention } from "./source";

/**
 * Review and comment APIs list items newest first with an id and a date. An
 * item that cannot become a mention (no text, a bad rating) still has its
 * place in that list, so the cursor moves past it and its skip is reported
 * once; an item without an id or a date has no place and is reported each
 * time it is read. This sorts what a parser read into those two kinds.
 */

/** An item with its place (id and time), and the mention or why it was skipped. */
export type PlacedItem = {
  id: string;
  /** Epoch ms. */
  at: number;
} & ({ mention: RawMention; reason?: undefined } | { mention: null; reason: string });

/** An item without an id or a date. */
export interface UnplacedItem {
  reason: string;
  id?: string;
}

/** What a parser read from one item. */
export type ReadItem =
  | { id?: string; at?: number; mention: RawMention; reason?: undefined }
  | { id?: string; at?: number; mention: null; reason: string };

/** Adds one read item to `entries` when it has a place, else to `skipped`. */
export function placeItem(read: ReadItem, page: { entries: PlacedItem[]; skipped: UnplacedItem[] }): void {
  const { id, at } = read;
  if (id !== undefined && at !== undefined) {
    page.entries.push(read.mention === null ? { id, at, mention: null, reason: read.reason } : { id, at, mention: read.mention });
    return;
  }
  const reason = read.reason ?? "item without an id or a date";
  page.skipped.push(id === undefined ? { reason } : { reason, id });
}
