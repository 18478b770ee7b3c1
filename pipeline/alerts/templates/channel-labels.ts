import type { Incident } from "../../mention";
import type { AckOutcome } from "../ack-outcome";
import type { Notice, NoticeEvent } from "../notifier";

/**
 * The short words around a notice's sentence that rich channels show: a
 * title, button captions, field names, an e-mail subject. The sentence itself
 * comes from the spike/source templates beside this file.
 */
export interface ChannelLabels {
  title: { spike: Record<NoticeEvent, (brand: string) => string>; source: Record<NoticeEvent, (source: string) => string> };
  open: string;
  acknowledge: string;
  severity: Record<Incident["severity"], string>;
  peak: string;
  baseline: string;
  incident: string;
  /** Shown under the message: who sent it. */
  sentBy: string;
  /** Answers to an Acknowledge button pressed inside a chat (telegram-acks.ts). */
  chatAck: { done: string; already: (by: string) => string; notOpen: string; notHere: string };
}

const en: ChannelLabels = {
  title: {
    spike: {
      firing: (b) => `Negative spike: ${b}`,
      acknowledged: (b) => `Acknowledged: ${b}`,
      resolved: (b) => `Resolved: ${b}`,
    },
    source: {
      firing: (s) => `Source down: ${s}`,
      acknowledged: (s) => `Source down, acknowledged: ${s}`,
      resolved: (s) => `Source back: ${s}`,
    },
  },
  open: "Open dashboard",
  acknowledge: "Acknowledge",
  severity: { warning: "warning", critical: "critical" },
  peak: "Peak a minute",
  baseline: "Usual",
  incident: "Incident",
  sentBy: "Earshot, social listening",
  chatAck: {
    done: "Acknowledged: repeats and escalation stop.",
    already: (by) => `Already acknowledged by ${by}.`,
    notOpen: "This incident is no longer open.",
    notHere: "This button works only in the chat the notice was sent to.",
  },
};

const pl: ChannelLabels = {
  title: {
    spike: {
      firing: (b) => `Fala negatywnych wzmianek: ${b}`,
      acknowledged: (b) => `Przyjęty: ${b}`,
      resolved: (b) => `Zakończony: ${b}`,
    },
    source: {
      firing: (s) => `Źródło nie działa: ${s}`,
      acknowledged: (s) => `Awaria źródła przyjęta: ${s}`,
      resolved: (s) => `Źródło znów działa: ${s}`,
    },
  },
  open: "Otwórz panel",
  acknowledge: "Przyjmij",
  severity: { warning: "ostrzeżenie", critical: "krytyczny" },
  peak: "Szczyt na minutę",
  baseline: "Zwykle",
  incident: "Incydent",
  sentBy: "Earshot, monitoring mediów społecznościowych",
  chatAck: {
    done: "Przyjęty: powtórki i eskalacja wstrzymane.",
    already: (by) => `Już przyjęty przez ${by}.`,
    notOpen: "Ten incydent nie jest już otwarty.",
    notHere: "Ten przycisk działa tylko na czacie, do którego wysłano powiadomienie.",
  },
};

const ru: ChannelLabels = {
  title: {
    spike: {
      firing: (b) => `Всплеск негатива: ${b}`,
      acknowledged: (b) => `Принят в работу: ${b}`,
      resolved: (b) => `Завершён: ${b}`,
    },
    source: {
      firing: (s) => `Источник не работает: ${s}`,
      acknowledged: (s) => `Сбой источника принят в работу: ${s}`,
      resolved: (s) => `Источник снова работает: ${s}`,
    },
  },
  open: "Открыть панель",
  acknowledge: "Принять",
  severity: { warning: "предупреждение", critical: "критичный" },
  peak: "Пик в минуту",
  baseline: "Обычно",
  incident: "Инцидент",
  sentBy: "Earshot, мониторинг соцсетей",
  chatAck: {
    done: "Принят в работу: повторы и эскалация остановлены.",
    already: (by) => `Уже принят: ${by}.`,
    notOpen: "Этот инцидент уже закрыт.",
    notHere: "Эта кнопка работает только в чате, куда пришло уведомление.",
  },
};

export const CHANNEL_LABELS: Record<Notice["lang"], ChannelLabels> = { en, pl, ru };

/** The notice's title in its language: "Negative spike: Lumio", "Źródło nie działa: rss-main" … */
export function noticeTitle(notice: Notice): string {
  const labels = CHANNEL_LABELS[notice.lang];
  const i = notice.incident;
  return i.kind === "source-down" ? labels.title.source[notice.event](i.source ?? "?") : labels.title.spike[notice.event](i.brand);
}

/** One coloured mark per state, the same in every channel. */
export const EVENT_MARK: Record<NoticeEvent, string> = { firing: "🔴", acknowledged: "🟡", resolved: "🟢" };

/** The answer to someone who acknowledged from inside a chat (Telegram, Slack), in the contact's language. */
export function chatAckText(lang: Notice["lang"], outcome: AckOutcome): string {
  const labels = CHANNEL_LABELS[lang].chatAck;
  return outcome.kind === "not-open" ? labels.notOpen : outcome.kind === "already" ? labels.already(outcome.by) : labels.done;
}
