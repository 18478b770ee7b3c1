import { filter, type MonoTypeOperatorFunction } from "rxjs";

/**
 * Drops a mention whose id was seen recently (a feed re-delivering the same
 * items, two sources overlapping). Bounded memory: the oldest ids are
 * forgotten first; the store's ReplacingMergeTree collapses whatever slips
 * past, so this only saves work and keeps counts honest in the live path.
 */
export class RecentIds {
  readonly #ids = new Set<string>();
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** True the first time an id is offered (and remembers it). */
  firstSight(id: string): boolean {
    if (this.#ids.has(id)) return false;
    this.#ids.add(id);
    if (this.#ids.size > this.#capacity) this.#ids.delete(this.#ids.values().next().value as string);
    return true;
  }
}

export function dedupe<T extends { id: string }>(
  recent: RecentIds,
  onDuplicate: (item: T) => void = () => {},
): MonoTypeOperatorFunction<T> {
  return filter((item) => {
    if (recent.firstSight(item.id)) return true;
    onDuplicate(item);
    return false;
  });
}
