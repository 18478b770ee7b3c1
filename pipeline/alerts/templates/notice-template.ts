import type { Incident } from "../../mention";
import type { NoticeEvent } from "../notifier";

/** One sentence per incident state; `at` is the moment, already formatted for the reader. */
export type NoticeTemplate = Record<NoticeEvent, (incident: Incident, at: string) => string>;
