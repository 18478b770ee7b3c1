import type { IncidentChange } from "../incidents/lifecycle";
import { silencing } from "../incidents/silences";
import type { Store } from "../store/store";
import { deliverNotice, DEFAULT_DELIVERY, type DeliverySettings } from "./deliver";
import { noticeText } from "./notice-text";
import type { Notice, Notifier } from "./notifier";

export interface DispatchSettings {
  lang: Notice["lang"];
  timeZone: string;
  dashboardUrl?: string | undefined;
  delivery?: DeliverySettings;
}

/**
 * Turns an incident change into a notice for every channel, unless a silence
 * mutes it: then each channel gets a "silenced" record instead, so the
 * delivery log says why nobody was paged. Silences are read from the store at
 * each notice (notices are rare; a silence set a second ago must count). If
 * the store cannot answer, the notice goes out: a missed page is worse than an
 * unwanted one.
 */
export async function dispatchChange(
  change: IncidentChange,
  deps: { notifiers: readonly Notifier[]; store: Pick<Store, "recordNotification" | "silences">; now(): number },
  settings: DispatchSettings,
): Promise<void> {
  const event = change.kind;
  if (event === "updated" || deps.notifiers.length === 0) return;
  const now = deps.now();
  const active = await deps.store.silences({ now }).catch(() => []);
  const silence = silencing(change.incident, null, active, now);
  if (silence !== null) {
    const until = new Date(silence.endsAt).toISOString();
    await Promise.all(
      deps.notifiers.map((n) =>
        deps.store
          .recordNotification({
            incidentKey: change.incident.key,
            channel: n.channel,
            target: n.target,
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
  const text = noticeText(event, change.incident, settings.lang, settings.timeZone);
  const link = settings.dashboardUrl
    ? `${settings.dashboardUrl.replace(/\/$/, "")}/#/incidents/${encodeURIComponent(change.incident.key)}`
    : null;
  const notice: Notice = { event, incident: change.incident, text, lang: settings.lang, link };
  await Promise.all(deps.notifiers.map((n) => deliverNotice(n, notice, deps.store, settings.delivery ?? DEFAULT_DELIVERY)));
}
