/**
 * A count as Telegram's pages print it, abbreviated or grouped: "950",
 * "37.2K", "1.2M", "1,2K", "1 234" (with any kind of space), "12.3K subscribers".
 * Undefined when it is not a count.
 */
export function parseCount(value: string): number | undefined {
  const compact = value.replace(/[\s\u00a0\u202f\u2009]+/g, " ").trim();
  const match = /^(\d+(?:[ .,']\d{3})*|\d+[.,]\d+)\s*([KMB])?(?:\s+\p{L}+)?$/iu.exec(compact);
  if (!match?.[1]) return undefined;
  const [, digits, suffix] = match;
  const multiplier = suffix === undefined ? 1 : { k: 1e3, m: 1e6, b: 1e9 }[suffix.toLowerCase() as "k" | "m" | "b"];
  // With a suffix the separator is a decimal point ("1,2K" in some locales); without one it groups thousands.
  let count: number;
  if (suffix !== undefined && /^\d+[.,]\d{1,2}$/.test(digits)) count = Math.round(Number(digits.replace(",", ".")) * multiplier);
  else if (/^\d+[.,]\d+$/.test(digits) && !/^\d{1,3}[.,]\d{3}$/.test(digits)) return undefined;
  else count = Number(digits.replace(/[ .,']/g, "")) * multiplier;
  return Number.isSafeInteger(count) ? count : undefined;
}
