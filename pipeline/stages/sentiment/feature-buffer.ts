/**
 * The reusable buffer that feature extraction writes into and the model reads:
 * parallel typed arrays, so scoring a text allocates nothing per feature.
 */

/** Room kept free at the end of every extraction for the lexicon features (lexicon-features.ts appends them). */
export const RESERVED_TAIL = 4;

export interface FeatureBuffer {
  count: number;
  /** Full 32-bit hash; the model takes its low bits as the bucket and one high bit as the sign. */
  hash: Int32Array;
  /** Feature value (already divided by the text's L2 norm). */
  value: Float32Array;
  /** The token the feature came from, or -1 (lexicon features). */
  token: Int32Array;
  /** Second token of a bigram, or -1. */
  token2: Int32Array;
}

export const createFeatureBuffer = (capacity = 16_384): FeatureBuffer => ({
  count: 0,
  hash: new Int32Array(capacity),
  value: new Float32Array(capacity),
  token: new Int32Array(capacity),
  token2: new Int32Array(capacity),
});

/** Makes room for `need` features, keeping what is there (only very long texts ever get here). */
export const growFeatureBuffer = (f: FeatureBuffer, need: number): void => {
  if (need <= f.hash.length) return;
  const size = Math.max(need, f.hash.length * 2);
  const hash = new Int32Array(size);
  const value = new Float32Array(size);
  const token = new Int32Array(size);
  const token2 = new Int32Array(size);
  hash.set(f.hash);
  value.set(f.value);
  token.set(f.token);
  token2.set(f.token2);
  f.hash = hash;
  f.value = value;
  f.token = token;
  f.token2 = token2;
};
