import { describe, expect, test } from "vitest";
import { countAtSurprise, countSurprise, shareSurprise } from "../../../pipeline/spikes/count-surprise";

/** P(X ≥ y) for X ~ Poisson(λ), summed exactly in log space. */
function poissonTail(y: number, lambda: number): number {
  let below = 0;
  let term = Math.exp(-lambda);
  for (let k = 0; k < y; k++) {
    below += term;
    term *= lambda / (k + 1);
  }
  return Math.max(0, 1 - below);
}

/** Upper tail of N(0, 1): erfc by Abramowitz & Stegun 7.1.26 (error below 1.5e-7). */
function normalTail(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erfc = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x);
  return z >= 0 ? erfc / 2 : 1 - erfc / 2;
}

/** The z whose upper tail is p (bisection). */
function zOf(p: number): number {
  let lo = -10;
  let hi = 10;
  for (let i = 0; i < 80; i++) {
    const mid = (lo + hi) / 2;
    if (normalTail(mid) > p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

describe("countSurprise()", () => {
  test("countSurprise() is within 0.3 of the exact Poisson tail's z, from small counts to large", () => {
    for (const lambda of [0.3, 2, 10, 100]) {
      for (let y = Math.ceil(lambda + 1); ; y++) {
        const p = poissonTail(y, lambda);
        if (p < 1e-6) break; // beyond the precision of the summed tail
        expect(Math.abs(countSurprise(y, lambda, 1) - zOf(p)), `y=${y} λ=${lambda}`).toBeLessThan(0.3);
      }
    }
  });

  test("countSurprise() grows with the count, falls with the usual count and with the dispersion", () => {
    expect(countSurprise(20, 5, 1)).toBeGreaterThan(countSurprise(15, 5, 1));
    expect(countSurprise(20, 8, 1)).toBeLessThan(countSurprise(20, 5, 1));
    expect(countSurprise(20, 5, 3)).toBeLessThan(countSurprise(20, 5, 1));
    expect(countSurprise(0, 5, 1)).toBeLessThan(0);
  });

  test("countAtSurprise() inverts countSurprise()", () => {
    for (const [z, mean, d] of [[4, 3, 1], [8, 0.2, 1.5], [6, 500, 20]] as const) {
      expect(countSurprise(countAtSurprise(z, mean, d), mean, d)).toBeCloseTo(z, 3);
    }
  });
});

describe("shareSurprise()", () => {
  test("shareSurprise() is about zero at the usual share, whatever the volume", () => {
    expect(Math.abs(shareSurprise(40, 400, 0.1, 1))).toBeLessThan(1e-9);
    expect(Math.abs(shareSurprise(4, 40, 0.1, 1))).toBeLessThan(1e-9);
  });

  test("shareSurprise() is beyond doubt for 25 negatives out of 25 at a usual 9 %, and negative below the usual", () => {
    expect(shareSurprise(25, 25, 0.09, 1)).toBeGreaterThan(10);
    expect(shareSurprise(1, 100, 0.1, 1)).toBeLessThan(-3);
    expect(shareSurprise(5, 0, 0.1, 1)).toBe(0);
  });
});
