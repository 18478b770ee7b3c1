import type { NoticeTemplate } from "./notice-template";
import { signalClause } from "./signal-clause";
import { sourceDownReason } from "./source-reason";

export const ru: NoticeTemplate = {
  spike: {
    firing: (i, at) =>
      `🔴 ${i.brand}: резкий рост негативных упоминаний — ${i.peakNegative} за минуту (обычно ${i.baseline}), с ${at}. Инцидент ${i.key}.${signalClause(i, "ru")}`,
    acknowledged: (i, at) => `🟡 ${i.brand}: инцидент ${i.key} принят: ${i.acknowledgedBy ?? "?"}, ${at}.`,
    resolved: (i, at) =>
      `🟢 ${i.brand}: инцидент ${i.key} завершён в ${at}; пик: ${i.peakNegative} негативных упоминаний в минуту.`,
  },
  source: {
    firing: (i, at) => `🔴 Источник ${i.source ?? "?"} не работает с ${at}: ${sourceDownReason(i, "ru")}. Упоминания из него не поступают. Инцидент ${i.key}.`,
    acknowledged: (i, at) => `🟡 Источник ${i.source ?? "?"}: инцидент ${i.key} принят: ${i.acknowledgedBy ?? "?"}, ${at}.`,
    resolved: (i, at) => `🟢 Источник ${i.source ?? "?"} снова работает (${at}). Инцидент ${i.key} завершён.`,
  },
};
