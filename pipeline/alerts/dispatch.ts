import { asyncScheduler, type SchedulerLike } from "rxjs";
import type { IncidentChange } from "../incidents/lifecycle";
import { incidentProblem } from "../incidents/incident-problem";
import { silencing } from "../incidents/silences";
import type { Store } from "../store/store";
import type { Contact } from "./channels-config";
import { contactNotice } from "./contact-notice";
import { deliverNotice, DEFAULT_DELIVERY, type DeliverySettings } from "./deliver";
import type { Notice, NoticeEvent } from "./notifier";

export interface DispatchSettings {
  /** alerts.lang: the language of contacts that set none. */
  lang: Notice["lang"];
  timeZone: string;
  dashboardUrl?: string | undefined;
  /** EARSHOT_ACK_LINK_SECRET: firing notices carry a signed one-click acknowledge link. */
  ackSecret?: string | null;
  ackTtlMs?: number;
  delivery?: DeliverySettings;
}

export interface DispatchDeps {
  contacts: readonly Contact[];
  store: Pick<Store, "recordNotification" | "silences">;
  now(): number;
}

/**
 * Turns an incident change into one notice per contact, each in the contact's
 * language, unless a silence mutes it: then each contact gets a "silenced"
 * record instead, so the delivery log says why nobody was paged. Silences are
 * read from the store at each notice (notices are rare; a silence set a second
 * ago must count). If the store cannot answer, the notice goes out: a missed
 * page is worse than an unwanted one.
 */
export async function dispatchChange(change: IncidentChange, deps: DispatchDeps, settings: DispatchSettings): Promise<void> {
  const event = change.kind;
  // Only what people were told about is followed up: pending, dismissed and quiet changes page nobody.
  if (change.quiet || event === "updated" || event === "pending" || event === "dismissed") return;
  await dispatchNotice(event, change.incident, deps.contacts, deps, settings);
}

/** One notice event (a change, a repeat of "firing", or "firing" to an escalation contact) to the given contacts, silences respected. */
export async function dispatchNotice(
  event: NoticeEvent | "repeat" | "escalation",
  incident: IncidentChange["incident"],
  contacts: readonly Contact[],
  deps: Omit<DispatchDeps, "contacts">,
  settings: DispatchSettings,
): Promise<void> {
  if (contacts.length === 0) return;
  const now = deps.now();
  const active = await deps.store.silences({ now }).catch(() => []);
  const silence = silencing(incident, incidentProblem(incident), active, now); // a brand + problem silence mutes the incidents of that problem
  if (silence !== null) {
    const until = new Date(silence.endsAt).toISOString();
    await Promise.all(
      contacts.map(({ notifier }) =>
        deps.store
          .recordNotification({
            incidentKey: incident.key,
            channel: notifier.channel,
            target: notifier.target,
            event,
            attempt: 0,
            status: "silenced",
            httpStatus: null,
            error: `silenced by ${silence.createdBy} until ${until} (${silence.id}${silence.reason ? `: ${silence.reason}` : ""})`,
            at: now,
          })
          .catch(() => {}),
      ),
    );
    return;
  }
  // Retries wait in real time; the delivery records carry the caller's clock, which the pager reads back after a restart.
  const clock: SchedulerLike = { now: deps.now, schedule: asyncScheduler.schedule.bind(asyncScheduler) };
  const context = {
    lang: settings.lang,
    timeZone: settings.timeZone,
    dashboardUrl: settings.dashboardUrl ?? null,
    ackSecret: settings.ackSecret ?? null,
    ackTtlMs: settings.ackTtlMs ?? 24 * 60 * 60_000,
    now,
  };
  await Promise.all(
    contacts.map((c) => {
      // A repeat says the same as the first notice (and carries the acknowledge link again).
      const first = contactNotice(event === "repeat" || event === "escalation" ? "firing" : event, incident, c.lang, context);
      const notice = event === "repeat" ? { ...first, repeat: true } : first;
      return deliverNotice(c.notifier, notice, deps.store, settings.delivery ?? DEFAULT_DELIVERY, clock, event);
    }),
  );
}
