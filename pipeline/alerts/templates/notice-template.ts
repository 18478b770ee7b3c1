import type { Incident } from "../../mention";
import type { NoticeEvent } from "../notifier";

type Sentence = (incident: Incident, at: string) => string;

/** One sentence per incident kind and state; `at` is the moment, already formatted for the reader. */
export interface NoticeTemplate {
  spike: Record<NoticeEvent, Sentence>;
  source: Record<NoticeEvent, Sentence>;
}
