import type { NoticeTemplate } from "./notice-template";

export const en: NoticeTemplate = {
  firing: (i, at) =>
    `🔴 ${i.brand}: negative mentions are spiking — ${i.peakNegative} in one minute (usual ${i.baseline}), since ${at}. Incident ${i.key}.`,
  acknowledged: (i, at) => `🟡 ${i.brand}: incident ${i.key} acknowledged by ${i.acknowledgedBy ?? "?"} at ${at}.`,
  resolved: (i, at) => `🟢 ${i.brand}: incident ${i.key} resolved at ${at}; peak ${i.peakNegative} negative mentions a minute.`,
};
