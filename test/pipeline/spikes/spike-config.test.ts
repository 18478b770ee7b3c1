import { describe, expect, test } from "vitest";
import { DEFAULT_SPIKE_SETTINGS } from "../../../pipeline/spikes/detect-spike";
import { DEFAULT_SERIES_LIMITS } from "../../../pipeline/spikes/judge-series";
import { brandSpikeSchema, seriesLimitsSchema, spikeSettingsSchema } from "../../../pipeline/spikes/spike-config";

describe("spike configuration", () => {
  test("spikeSettingsSchema defaults to the detector's own defaults", () => {
    expect(spikeSettingsSchema.parse({})).toEqual(DEFAULT_SPIKE_SETTINGS);
  });

  test("spikeSettingsSchema and brandSpikeSchema refuse a sensitivity out of range", () => {
    expect(spikeSettingsSchema.safeParse({ sensitivity: 0 }).success).toBe(false);
    expect(brandSpikeSchema.safeParse({ sensitivity: 50 }).success).toBe(false);
    expect(brandSpikeSchema.parse({})).toEqual({});
  });
});

describe("seriesLimitsSchema", () => {
  test("seriesLimitsSchema fills the series judge's defaults and refuses a too short idle time", () => {
    expect(seriesLimitsSchema.parse(undefined)).toEqual(DEFAULT_SERIES_LIMITS);
    expect(seriesLimitsSchema.parse({ maxSourcesPerBrand: 4 })).toEqual({ ...DEFAULT_SERIES_LIMITS, maxSourcesPerBrand: 4 });
    expect(seriesLimitsSchema.safeParse({ idleMinutes: 1 }).success).toBe(false);
  });
});
