/**
 * The Silences panel's calls: every silence that is running or still to come,
 * a new one, ending one now. Each answer is checked before it is trusted;
 * failures are RequestErrors (see api.ts), and a refusal carries the server's
 * own reason ("a silence may last at most 90 days"). Also the new-silence
 * form's arithmetic: what a duration or a typed time means, read in the
 * user's time zone (the one the panel shows its dates in).
 */
import { API, type SilenceRequest, type SilenceView } from "../../protocol";
import { callJson, isRequestError, RequestError } from "./api";
import type { MessageKey } from "./messages";
import { isSilenceView } from "./server-message";

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** The lengths the form offers, as Alertmanager-style quick choices: 30 minutes, 1, 4 and 24 hours. */
export const SILENCE_DURATIONS_MS: readonly number[] = [30 * MINUTE_MS, HOUR_MS, 4 * HOUR_MS, 24 * HOUR_MS];

/** What the server takes for a reason (pipeline/incidents/silences.ts silenceProblems). */
export const SILENCE_REASON_MAX_CHARS = 500;

/** Silences not over yet, soonest end first (the server's order). Entries that fail the checks are left out. */
export async function fetchSilences(): Promise<SilenceView[]> {
  const body = await callJson("GET", API.silences);
  if (!Array.isArray(body)) throw new RequestError(200, null, `${API.silences}: the answer is not a list`);
  return body.filter(isSilenceView);
}

/** Makes a silence (responder); answers it as stored. */
export async function createSilence(request: SilenceRequest): Promise<SilenceView> {
  const body = await callJson("POST", API.silences, request);
  if (!isSilenceView(body)) throw new RequestError(201, null, `${API.silences}: the answer is not a silence`);
  return body;
}

/** Ends a silence now (responder); answers it with its new end. */
export async function expireSilence(id: string): Promise<SilenceView> {
  const path = API.expireSilence(id);
  const body = await callJson("POST", path);
  if (!isSilenceView(body)) throw new RequestError(200, null, `${path}: the answer is not a silence`);
  return body;
}

/** The server's own words for a 400 (what was wrong with the request); null for any other failure. */
export function refusalReason(err: unknown): string | null {
  if (!isRequestError(err) || err.status !== 400) return null;
  return err.message.replace(/^\[earshot\] \[dashboard\] /, "");
}

/**
 * Running (started, not over) or still to come at `now`. One that started as
 * it was made is running from then on, whatever `now` says: the views' clock
 * ticks coarsely (every 30 s) and may still read a moment before it was made.
 */
export const silenceState = (s: Pick<SilenceView, "startsAt" | "createdAt">, now: number): "active" | "upcoming" =>
  s.startsAt > Math.max(now, s.createdAt) ? "upcoming" : "active";

// --- Wall-clock times in a time zone (the form's datetime-local fields) ---

const WALL_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
const zoneFormats = new Map<string, Intl.DateTimeFormat>();

function zoneFormat(timeZone: string): Intl.DateTimeFormat {
  let format = zoneFormats.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    zoneFormats.set(timeZone, format);
  }
  return format;
}

/** The wall clock in `timeZone` at `epochMs`, as numbers. */
function wallClock(epochMs: number, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const parts: Record<string, number> = {};
  for (const p of zoneFormat(timeZone).formatToParts(epochMs)) if (p.type !== "literal") parts[p.type] = Number(p.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

/** How far `timeZone`'s clock is ahead of UTC at `epochMs` (ms; +3 600 000 for Warsaw in winter). */
function zoneOffset(epochMs: number, timeZone: string): number {
  const w = wallClock(epochMs, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - (epochMs - (((epochMs % 1000) + 1000) % 1000));
}

/**
 * A datetime-local value ("2026-11-23T14:05") read as the wall clock in
 * `timeZone` (null: the browser's own), as epoch ms; null when it is not a
 * real date and time. The zone's offset is taken at a first guess and again at
 * the result, so a time across a daylight-saving change still lands right; a
 * time in the hour skipped in spring lands an hour later, as a clock does.
 */
export function wallTimeToEpoch(value: string, timeZone: string | null): number | null {
  const m = WALL_TIME.exec(value);
  if (m === null) return null;
  const [year, month, day, hour, minute, second] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  const back = new Date(asUtc);
  // Date.UTC rolls 31 February over into March (and reads years below 100 as 19xx): refuse instead.
  if (
    back.getUTCFullYear() !== year ||
    back.getUTCMonth() !== month - 1 ||
    back.getUTCDate() !== day ||
    back.getUTCHours() !== hour ||
    back.getUTCMinutes() !== minute
  ) {
    return null;
  }
  if (timeZone === null) return new Date(year, month - 1, day, hour, minute, second).getTime();
  const first = asUtc - zoneOffset(asUtc, timeZone);
  const offset = zoneOffset(first, timeZone);
  return asUtc - offset;
}

/** The datetime-local value (to the minute) of `epochMs` on the wall clock in `timeZone` (null: the browser's own). */
export function epochToWallTime(epochMs: number, timeZone: string | null): string {
  const pad = (n: number, width = 2): string => String(n).padStart(width, "0");
  if (timeZone === null) {
    const d = new Date(epochMs);
    return `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
  }
  const w = wallClock(epochMs, timeZone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

// --- The new-silence form ---

/** What the form holds: "" for every brand / every problem type / starting now. */
export interface SilenceForm {
  brand: string;
  problem: string;
  /** datetime-local; "" starts it now. */
  start: string;
  /** A length from the start (ms), or null to end at `until`. */
  lengthMs: number | null;
  /** datetime-local, read when lengthMs is null. */
  until: string;
  reason: string;
}

/**
 * The request the form asks for, or what to fix first. Only what the user can
 * fix in the form is checked here, in their language; the server checks the
 * rest and its 400 is shown as it says (silenceProblems on the server).
 * `now` is the server's clock as this browser reckons it.
 */
export function silenceRequest(
  form: SilenceForm,
  now: number,
  timeZone: string | null,
): { ok: true; request: SilenceRequest } | { ok: false; key: MessageKey } {
  let startsAt: number | undefined;
  if (form.start !== "") {
    const at = wallTimeToEpoch(form.start, timeZone);
    if (at === null) return { ok: false, key: "silences.form.startInvalid" };
    // A start a little in the past (the minute already begun) means now.
    if (at > now) startsAt = at;
  }
  const from = startsAt ?? now;
  let endsAt: number;
  if (form.lengthMs !== null) endsAt = from + form.lengthMs;
  else {
    const at = wallTimeToEpoch(form.until, timeZone);
    if (at === null) return { ok: false, key: "silences.form.untilInvalid" };
    if (at <= now) return { ok: false, key: "silences.form.untilPast" };
    if (at <= from) return { ok: false, key: "silences.form.untilBeforeStart" };
    endsAt = at;
  }
  const reason = form.reason.trim();
  return {
    ok: true,
    request: {
      brand: form.brand === "" ? null : form.brand,
      problem: form.problem === "" ? null : form.problem,
      ...(startsAt !== undefined ? { startsAt } : {}),
      endsAt: Math.round(endsAt),
      ...(reason !== "" ? { reason } : {}),
    },
  };
}
