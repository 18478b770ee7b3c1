import { describe, expect, test } from "vitest";
import { DEFAULT_SPIKE_SETTINGS } from "../../../pipeline/spikes/detect-spike";
import { brandSpikeSchema, spikeSettingsSchema } from "../../../pipeline/spikes/spike-config";

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
