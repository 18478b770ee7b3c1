import { z } from "zod";
import { DEFAULT_SPIKE_SETTINGS } from "./detect-spike";
import { DEFAULT_SERIES_LIMITS } from "./judge-series";

/**
 * Configuration fragments for the spike detector, with the detector's own
 * defaults (so `earshot detect` and the live pipeline cannot drift apart).
 *
 * `spikeSettingsFields` is meant for the `spikes` block of the configuration
 * (next to the incident lifecycle's keepFiringMinutes and the minute buckets'
 * latenessMs); `brandSpikeSchema` for an optional `spikes` block of a brand.
 */
const d = DEFAULT_SPIKE_SETTINGS;

export const spikeSettingsFields = {
  sensitivity: z
    .number()
    .min(0.5)
    .max(20)
    .default(d.sensitivity)
    .describe("How sure a surge must be before it alerts: 4 is the default, higher is quieter (the thresholds scale with it)."),
  minNegatives: z
    .number()
    .int()
    .min(0)
    .default(d.minNegatives)
    .describe("An alert needs at least this many negative mentions above the usual, summed over the surge so far."),
  warmupMinutes: z
    .number()
    .int()
    .min(0)
    .max(10_080)
    .default(d.warmupMinutes)
    .describe("No alert at all before a brand's series is this old; until it has a day of history, only an extreme surge alerts."),
  rearmMinutes: z
    .number()
    .int()
    .min(0)
    .max(10_080)
    .default(d.rearmMinutes)
    .describe("After an alert, how long a brand's series must be back to normal before it can raise another."),
  utcOffsetMinutes: z
    .number()
    .int()
    .min(-720)
    .max(840)
    .default(d.utcOffsetMinutes)
    .describe("UTC offset of the brands' audience, so that hours of the day and weekends are theirs."),
} as const;

export const spikeSettingsSchema = z.strictObject(spikeSettingsFields);

/** A brand's own sensitivity (absent: the shared one). */
export const brandSpikeSchema = z.strictObject({
  sensitivity: z.number().min(0.5).max(20).optional().describe("This brand's own sensitivity (4 = default; higher is quieter)."),
});

/**
 * Bounds of the per-problem and per-source series (spikes/judge-series.ts),
 * meant for `spikes.series` in the configuration; the flow takes them as
 * `settings.series` and uses DEFAULT_SERIES_LIMITS when absent.
 */
export const seriesLimitsSchema = z
  .strictObject({
    idleMinutes: z
      .number()
      .int()
      .min(10)
      .max(43_200)
      .default(DEFAULT_SERIES_LIMITS.idleMinutes)
      .describe("A source's own series is dropped after this long without a mention (and no surge under way); it starts again when the source returns."),
    maxSourcesPerBrand: z
      .number()
      .int()
      .min(0)
      .max(1_000)
      .default(DEFAULT_SERIES_LIMITS.maxSourcesPerBrand)
      .describe("Most sources judged on their own per brand; mentions of further sources count in the brand's series only."),
  })
  .prefault({});
