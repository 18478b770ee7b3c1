/**
 * 32-bit hashing over UTF-16 code units for the hashed features. FNV-1a is one
 * multiply per code unit and needs no allocation; its low bits mix poorly, so a
 * feature's final hash goes through murmur3's finaliser before it picks a bucket.
 */

export const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 16777619;

/** One FNV-1a step. */
export const fnvStep = (h: number, code: number): number => Math.imul(h ^ code, FNV_PRIME);

/** FNV-1a of `chars[start, end)`, starting from `seed`. */
export const fnvRange = (chars: Uint16Array, start: number, end: number, seed: number): number => {
  let h = seed;
  for (let i = start; i < end; i++) h = Math.imul(h ^ chars[i]!, FNV_PRIME);
  return h;
};

/** FNV-1a of a string (for constants and tests; the hot path hashes char buffers). */
export const fnvString = (s: string, seed: number = FNV_OFFSET): number => {
  let h = seed;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
};

/** murmur3 fmix32: every input bit reaches every output bit. */
export const fmix = (h: number): number => {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
};

/** Combines two hashes in order ("a b" differs from "b a"). */
export const combine = (a: number, b: number): number => fmix(Math.imul(a, 0x9e3779b1) ^ b);
