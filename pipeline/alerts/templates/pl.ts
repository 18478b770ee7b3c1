import type { NoticeTemplate } from "./notice-template";

export const pl: NoticeTemplate = {
  firing: (i, at) =>
    `🔴 ${i.brand}: gwałtowny wzrost negatywnych wzmianek — ${i.peakNegative} w ciągu minuty (zwykle ${i.baseline}), od ${at}. Incydent ${i.key}.`,
  acknowledged: (i, at) => `🟡 ${i.brand}: incydent ${i.key} przyjęty przez ${i.acknowledgedBy ?? "?"} o ${at}.`,
  resolved: (i, at) =>
    `🟢 ${i.brand}: incydent ${i.key} zakończony o ${at}; szczyt: ${i.peakNegative} negatywnych wzmianek na minutę.`,
};
