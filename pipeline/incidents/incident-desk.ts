import { Subject, type Observable } from "rxjs";
import type { Incident } from "../mention";
import { reduceIncidents, type IncidentBook, type IncidentChange, type IncidentEvent, type LifecycleSettings } from "./lifecycle";

/**
 * The one owner of open incidents. Judged minutes and acknowledgements both go
 * through `apply`, in the order they happen (JavaScript runs them one at a
 * time), and every change comes out of `changes$` for the sinks: the store,
 * the live dashboard and the notifiers.
 */
export class IncidentDesk {
  #book: IncidentBook;
  readonly #settings: LifecycleSettings;
  readonly #changes = new Subject<IncidentChange>();
  readonly changes$: Observable<IncidentChange> = this.#changes.asObservable();

  constructor(initial: IncidentBook, settings: LifecycleSettings) {
    this.#book = initial;
    this.#settings = settings;
  }

  apply(event: IncidentEvent): IncidentChange[] {
    const { book, changes } = reduceIncidents(this.#book, event, this.#settings);
    this.#book = book;
    for (const change of changes) this.#changes.next(change);
    return changes;
  }

  /** The open incident with this key, if any. */
  open(key: string): Incident | null {
    for (const { incident } of this.#book.values()) if (incident.key === key) return incident;
    return null;
  }

  /** Every open incident (pending, firing or acknowledged). */
  openIncidents(): Incident[] {
    return [...this.#book.values()].map((episode) => episode.incident);
  }

  complete(): void {
    this.#changes.complete();
  }
}
