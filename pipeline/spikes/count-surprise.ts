/**
 * How surprising a count is, as a standard-normal z: the z whose upper tail
 * has the probability of seeing `count` or more when `expected` was usual.
 *
 * Counts are not normal: for a brand with 0.3 negatives a minute, 3 in one
 * minute is a 1-in-300 event (z ≈ 2.7) although (3 − 0.3)/√0.3 says 4.9. So
 * the tail is Poisson, P(X ≥ y | λ) = P(Gamma(y, 1) ≤ λ), read off the
 * Wilson–Hilferty cube-root approximation of the gamma distribution
 * (Wilson & Hilferty 1931; Johnson, Kotz & Balakrishnan, "Continuous
 * Univariate Distributions" vol. 1, §17.5), good to about 0.1 in z down to
 * counts of 1 — and cheap: one cube root, no special functions.
 *
 * Real volume series are overdispersed (bursts, retweet storms): their
 * variance is `dispersion` times the mean. The quasi-Poisson trick (McCullagh
 * & Nelder, "Generalized Linear Models", §9.2) scales the count and the mean
 * down by it, so the same formula reads the tail of a negative-binomial-like
 * series.
 */
export function countSurprise(count: number, expected: number, dispersion: number): number {
  const d = dispersion > 1 ? dispersion : 1;
  const y = count / d;
  const lambda = Math.max(expected, MIN_EXPECTED) / d;
  if (y <= lambda) {
    // Below the usual: the Anscombe residual 2(√(y+3/8) − √(λ+3/8)), roughly
    // N(0, 1) for Poisson counts; only its sign and size matter (it drains
    // the CUSUM), not its tail.
    return 2 * (Math.sqrt(y + 0.375) - Math.sqrt(lambda + 0.375));
  }
  // Wilson–Hilferty: Gamma(a) ≈ a(1 − 1/(9a) + z/(3√a))³; solve for z at λ.
  return 3 * Math.sqrt(y) * (1 - 1 / (9 * y) - Math.cbrt(lambda / y));
}

/** The smallest count (not necessarily whole) whose surprise reaches `z`; z > 0. */
export function countAtSurprise(z: number, expected: number, dispersion: number): number {
  let lo = Math.max(expected, MIN_EXPECTED);
  let hi = lo + 1;
  while (countSurprise(hi, expected, dispersion) < z) hi = lo + 2 * (hi - lo);
  for (let i = 0; i < 40; i++) {
    const mid = (lo + hi) / 2;
    if (countSurprise(mid, expected, dispersion) < z) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * Expected counts are floored: a brand that has had no negative mention yet
 * would otherwise make a single one infinitely surprising.
 */
const MIN_EXPECTED = 0.02;

/**
 * How surprising `count` negatives out of `total` mentions are when the usual
 * share is `usualShare`, as a z: the signed root of the binomial deviance,
 * √(2·n·KL(count/n ‖ p)), divided by the dispersion as in quasi-likelihood
 * (McCullagh & Nelder §9.2). The deviance root is the usual normal
 * approximation of a likelihood-ratio tail (Barndorff-Nielsen & Cox,
 * "Asymptotic Techniques", §6); unlike a Poisson reading of p·n it knows that
 * 25 negatives out of 25, at a usual share of 9 %, is beyond doubt.
 */
export function shareSurprise(count: number, total: number, usualShare: number, dispersion: number): number {
  if (total <= 0) return 0;
  const p = Math.min(1 - 1e-9, Math.max(1e-9, usualShare));
  const q = Math.min(1, Math.max(0, count / total));
  const term = (a: number, b: number) => (a === 0 ? 0 : a * Math.log(a / b));
  const deviance = 2 * total * (term(q, p) + term(1 - q, 1 - p));
  return Math.sign(q - p) * Math.sqrt(Math.max(0, deviance) / Math.max(1, dispersion));
}
