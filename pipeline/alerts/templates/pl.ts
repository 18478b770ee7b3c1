import type { NoticeTemplate } from "./notice-template";
import { signalClause } from "./signal-clause";
import { sourceDownReason } from "./source-reason";

export const pl: NoticeTemplate = {
  spike: {
    firing: (i, at) =>
      `🔴 ${i.brand}: gwałtowny wzrost negatywnych wzmianek — ${i.peakNegative} w ciągu minuty (zwykle ${i.baseline}), od ${at}. Incydent ${i.key}.${signalClause(i, "pl")}`,
    acknowledged: (i, at) => `🟡 ${i.brand}: incydent ${i.key} przyjęty przez ${i.acknowledgedBy ?? "?"} o ${at}.`,
    resolved: (i, at) =>
      `🟢 ${i.brand}: incydent ${i.key} zakończony o ${at}; szczyt: ${i.peakNegative} negatywnych wzmianek na minutę.`,
  },
  source: {
    firing: (i, at) => `🔴 Źródło ${i.source ?? "?"} nie działa od ${at}: ${sourceDownReason(i, "pl")}. Wzmianki z niego nie docierają. Incydent ${i.key}.`,
    acknowledged: (i, at) => `🟡 Źródło ${i.source ?? "?"}: incydent ${i.key} przyjęty przez ${i.acknowledgedBy ?? "?"} o ${at}.`,
    resolved: (i, at) => `🟢 Źródło ${i.source ?? "?"} znów dostarcza wzmianki (${at}). Incydent ${i.key} zakończony.`,
  },
};
