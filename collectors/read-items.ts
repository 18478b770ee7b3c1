/**
 * Search and timeline APIs (Hacker News, Mastodon, Bluesky) answer with a list
 * in which any item may be unreadable: deleted, not public, or of a shape we
 * do not know. One bad item must not cost the whole page, so a parser reads
 * the items one by one and answers, for each, either what it read or why it
 * skipped the item (an object with a `reason`, logged by the source). This
 * splits those answers, both sides in the API's order.
 *
 * Review and comment parsers, whose skipped items still move the cursor, use
 * placeItem (placed-items.ts) instead.
 */

/** What a parser answers for an item it cannot read. */
type Skip = { reason: string };

export function readItems<Read extends object>(
  items: readonly unknown[],
  read: (item: unknown, index: number) => Read,
): { kept: Exclude<Read, Skip>[]; skipped: Extract<Read, Skip>[] } {
  const kept: Exclude<Read, Skip>[] = [];
  const skipped: Extract<Read, Skip>[] = [];
  items.forEach((item, index) => {
    const result = read(item, index);
    // TypeScript does not narrow a type parameter by `in`; the split is the same test the parsers made inline.
    if ("reason" in result) skipped.push(result as Extract<Read, Skip>);
    else kept.push(result as Exclude<Read, Skip>);
  });
  return { kept, skipped };
}
