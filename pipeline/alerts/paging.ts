import type { Incident } from "../mention";
import type { IncidentChange } from "../incidents/lifecycle";
import { afterPaging, duePages, pageLogFrom, type PageLog, type PagerSettings } from "../incidents/pager";
import type { Store } from "../store/store";
import type { Contact } from "./channels-config";
import { dispatchChange, dispatchNotice, type DispatchSettings } from "./dispatch";

/** A brand's escalation path as configured: contact names and minutes. */
export type EscalationPaths = ReadonlyMap<string, readonly { contact: string; afterMinutes: number }[]>;

/**
 * Who hears about an incident, and when: the first notice and its follow-ups
 * go to every contact not kept for escalation; a firing incident nobody
 * acknowledges is repeated every `repeatMs` and walks its brand's escalation
 * path, each step's contact getting the firing notice once its time is up.
 * Contacts paged by the path hear the acknowledgement and the resolve too.
 * The decisions are pager.ts's pure functions; this class holds what was sent
 * (rebuilt from the delivery records after a restart) and does the sending.
 */
export class Paging {
  readonly #first: readonly Contact[];
  readonly #paths: ReadonlyMap<string, { contact: Contact; afterMs: number }[]>;
  readonly #logs = new Map<string, PageLog>();
  readonly #deps: { store: Pick<Store, "recordNotification" | "silences" | "notifications" | "recordIncidentEvent">; now(): number };
  readonly #settings: DispatchSettings;
  readonly #pager: PagerSettings;
  #ticking = false;

  constructor(
    contacts: readonly Contact[],
    paths: EscalationPaths,
    deps: { store: Pick<Store, "recordNotification" | "silences" | "notifications" | "recordIncidentEvent">; now(): number },
    settings: DispatchSettings & PagerSettings,
  ) {
    const byName = new Map(contacts.map((c) => [c.name, c]));
    const onPaths = new Set([...paths.values()].flatMap((steps) => steps.map((s) => s.contact)));
    this.#first = contacts.filter((c) => !onPaths.has(c.name));
    this.#paths = new Map(
      [...paths].map(([brand, steps]) => [
        brand.toLowerCase(),
        steps.flatMap((s) => {
          const contact = byName.get(s.contact);
          return contact ? [{ contact, afterMs: s.afterMinutes * 60_000 }] : [];
        }),
      ]),
    );
    this.#deps = deps;
    this.#settings = settings;
    this.#pager = { repeatMs: settings.repeatMs };
  }

  /** Tells the contacts about one incident change; a new firing incident also pages the path's immediate steps. */
  async notify(change: IncidentChange): Promise<void> {
    const { incident } = change;
    const log = await this.#log(incident);
    const escalated = this.#path(incident).slice(0, log.escalated).map((s) => s.contact);
    await dispatchChange(change, { contacts: [...this.#first, ...escalated], store: this.#deps.store, now: this.#deps.now }, this.#settings);
    if (change.kind === "firing" && !change.quiet) {
      this.#logs.set(incident.key, { firstNoticeAt: this.#deps.now(), lastNoticeAt: this.#deps.now(), escalated: 0 });
      await this.#page(incident);
    }
    if (change.kind === "resolved" || change.kind === "dismissed") this.#logs.delete(incident.key);
  }

  /** Repeats and escalates what is due for every open incident (called on a timer). */
  async tick(open: readonly Incident[]): Promise<void> {
    if (this.#ticking) return; // a slow channel must not stack ticks
    this.#ticking = true;
    try {
      for (const incident of open) await this.#page(incident);
    } finally {
      this.#ticking = false;
    }
  }

  async #page(incident: Incident): Promise<void> {
    const log = await this.#log(incident);
    const path = this.#path(incident);
    const now = this.#deps.now();
    const due = duePages(incident, log, path, now, this.#pager);
    if (!due.repeat && due.escalate.length === 0) return;
    this.#logs.set(incident.key, afterPaging(log, due, now));
    const deps = { store: this.#deps.store, now: this.#deps.now };
    if (due.repeat) {
      const escalated = path.slice(0, log.escalated).map((s) => s.contact);
      await dispatchNotice("repeat", incident, [...this.#first, ...escalated], deps, this.#settings);
    }
    for (const { contact } of due.escalate) {
      await dispatchNotice("escalation", incident, [contact], deps, this.#settings);
      await this.#deps.store
        .recordIncidentEvent({ incidentKey: incident.key, at: now, type: "escalated", actor: "earshot", detail: contact.name })
        .catch(() => {});
    }
  }

  #path(incident: Incident): { contact: Contact; afterMs: number }[] {
    return incident.kind === "spike" ? (this.#paths.get(incident.brand.toLowerCase()) ?? []) : [];
  }

  async #log(incident: Incident): Promise<PageLog> {
    let log = this.#logs.get(incident.key);
    if (log === undefined) {
      const records = await this.#deps.store.notifications(incident.key).catch(() => []);
      log = pageLogFrom(records);
      this.#logs.set(incident.key, log);
    }
    return log;
  }
}
