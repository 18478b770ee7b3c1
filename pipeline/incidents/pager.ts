import type { Incident } from "../mention";

/**
 * Who must be paged now about an open incident: repeats while nobody has
 * acknowledged it, and the brand's escalation path walked step by step — the
 * PagerDuty escalation-policy model. Pure: the incident, what was sent so
 * far and the time in; what is due out. Acknowledging stops both, because
 * only a firing (unacknowledged) incident is paged.
 */
export interface PagerSettings {
  /** Repeat the notice this often while unacknowledged; 0 = never. */
  repeatMs: number;
}

export interface EscalationStep {
  /** The contact's name in the configuration. */
  contact: string;
  /** Paged when the incident is still unacknowledged this long after its first notice. */
  afterMs: number;
}

/** What has been sent about one incident (rebuilt from the delivery records after a restart). */
export interface PageLog {
  /** Epoch ms of the first notice; null before it. */
  firstNoticeAt: number | null;
  /** Epoch ms of the latest notice or repeat. */
  lastNoticeAt: number | null;
  /** Escalation steps already paged, counted from the first. */
  escalated: number;
}

export interface DuePages<S extends Pick<EscalationStep, "afterMs"> = EscalationStep> {
  repeat: boolean;
  escalate: S[];
}

/** Any step with a delay will do: the contact may be a name or the contact itself. */
export function duePages<S extends Pick<EscalationStep, "afterMs">>(
  incident: Pick<Incident, "state">,
  log: PageLog,
  path: readonly S[],
  now: number,
  settings: PagerSettings,
): DuePages<S> {
  const NOTHING: DuePages<S> = { repeat: false, escalate: [] };
  if (incident.state !== "firing" || log.firstNoticeAt === null) return NOTHING;
  const sinceLast = now - (log.lastNoticeAt ?? log.firstNoticeAt);
  const repeat = settings.repeatMs > 0 && sinceLast >= settings.repeatMs;
  const open = now - log.firstNoticeAt;
  const escalate: S[] = [];
  for (const step of path.slice(log.escalated)) {
    if (open < step.afterMs) break;
    escalate.push(step);
  }
  return repeat || escalate.length > 0 ? { repeat, escalate } : NOTHING;
}

/** The log after sending what was due. */
export function afterPaging(log: PageLog, due: DuePages<Pick<EscalationStep, "afterMs">>, now: number): PageLog {
  return {
    firstNoticeAt: log.firstNoticeAt ?? now,
    lastNoticeAt: due.repeat ? now : log.lastNoticeAt,
    escalated: log.escalated + due.escalate.length,
  };
}

/**
 * The log of an incident rebuilt from its delivery records, so a restart
 * neither repeats early nor escalates twice. An escalation step is recorded as
 * event "escalation" to its contact's target; a contact appears once in a path
 * (the configuration checks it), so distinct targets count the steps done,
 * however many attempts each took.
 */
export function pageLogFrom(records: readonly { target: string; event: string; at: number }[]): PageLog {
  let firstNoticeAt: number | null = null;
  let lastNoticeAt: number | null = null;
  const contacts = new Set<string>();
  for (const r of records) {
    if (r.event === "firing" || r.event === "repeat") {
      firstNoticeAt = firstNoticeAt === null ? r.at : Math.min(firstNoticeAt, r.at);
      lastNoticeAt = lastNoticeAt === null ? r.at : Math.max(lastNoticeAt, r.at);
    }
    if (r.event === "escalation") contacts.add(r.target);
  }
  return { firstNoticeAt, lastNoticeAt, escalated: contacts.size };
}
