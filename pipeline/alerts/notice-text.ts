import type { Incident } from "../mention";
import type { Notice, NoticeEvent } from "./notifier";
import { en } from "./templates/en";
import type { NoticeTemplate } from "./templates/notice-template";
import { pl } from "./templates/pl";
import { ru } from "./templates/ru";

const TEMPLATES: Record<Notice["lang"], NoticeTemplate> = { en, pl, ru };

/** The notice text in the reader's language, with the time in their time zone. */
export function noticeText(event: NoticeEvent, incident: Incident, lang: Notice["lang"], timeZone: string): string {
  const moment = event === "firing" ? incident.startedAt : incident.updatedAt;
  const at = new Intl.DateTimeFormat(lang, { dateStyle: "short", timeStyle: "short", timeZone }).format(moment);
  const template = TEMPLATES[lang];
  return (incident.kind === "source-down" ? template.source : template.spike)[event](incident, at);
}
