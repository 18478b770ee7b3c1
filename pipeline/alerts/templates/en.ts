import type { NoticeTemplate } from "./notice-template";
import { signalClause } from "./signal-clause";
import { sourceDownReason } from "./source-reason";

export const en: NoticeTemplate = {
  spike: {
    firing: (i, at) =>
      `🔴 ${i.brand}: negative mentions are spiking — ${i.peakNegative} in one minute (usual ${i.baseline}), since ${at}. Incident ${i.key}.${signalClause(i, "en")}`,
    acknowledged: (i, at) => `🟡 ${i.brand}: incident ${i.key} acknowledged by ${i.acknowledgedBy ?? "?"} at ${at}.`,
    resolved: (i, at) => `🟢 ${i.brand}: incident ${i.key} resolved at ${at}; peak ${i.peakNegative} negative mentions a minute.`,
  },
  source: {
    firing: (i, at) => `🔴 Source ${i.source ?? "?"} is down since ${at}: ${sourceDownReason(i, "en")}. Mentions from it are not arriving. Incident ${i.key}.`,
    acknowledged: (i, at) => `🟡 Source ${i.source ?? "?"}: incident ${i.key} acknowledged by ${i.acknowledgedBy ?? "?"} at ${at}.`,
    resolved: (i, at) => `🟢 Source ${i.source ?? "?"} delivers again (${at}). Incident ${i.key} resolved.`,
  },
};
