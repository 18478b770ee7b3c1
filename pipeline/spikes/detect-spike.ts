/**
 * The spike rule: is this minute's count of negative mentions far above the
 * brand's own recent baseline? Pure: a series in, a judgement out.
 *
 * Baseline = median of the window, spread = MAD scaled to a standard
 * deviation (robust to a few odd minutes, unlike mean and sigma), with a
 * Poisson floor (√baseline) because counts of rare events are noisy even when
 * the window happens to be flat. A surge of ALL mentions (a launch) with a
 * normal negative share is information, not an alarm: the negative share must
 * also rise.
 */
export interface SpikeSettings {
  minNegatives: number;
  sensitivity: number;
  baselineMinutes: number;
  warmupMinutes: number;
}

export interface SpikeJudgement {
  spike: boolean;
  /** 0..1: how far past the threshold (0.5 = at the threshold). */
  score: number;
  baseline: number;
  threshold: number;
}

export interface MinutePoint {
  total: number;
  negative: number;
}

export function detectSpike(history: readonly MinutePoint[], current: MinutePoint, s: SpikeSettings): SpikeJudgement {
  const window = history.slice(-s.baselineMinutes);
  const negatives = window.map((p) => p.negative);
  const baseline = median(negatives);
  const spread = 1.4826 * median(negatives.map((n) => Math.abs(n - baseline)));
  const noise = Math.max(spread, Math.sqrt(baseline), 1);
  const threshold = Math.max(s.minNegatives, baseline + s.sensitivity * noise);
  const excess = (current.negative - baseline) / (threshold - baseline);
  const score = clamp01(excess / 2);
  if (window.length < s.warmupMinutes) return { spike: false, score, baseline, threshold };

  const totalWindow = window.reduce((sum, p) => sum + p.total, 0);
  const baselineShare = totalWindow === 0 ? 0 : window.reduce((sum, p) => sum + p.negative, 0) / totalWindow;
  const share = current.total === 0 ? 0 : current.negative / current.total;
  const shareRose = share >= Math.min(0.9, Math.max(0.3, baselineShare * 1.5));
  return { spike: current.negative >= threshold && shareRose, score, baseline, threshold };
}

function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const clamp01 = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x);
