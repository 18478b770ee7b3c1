import { gunzipSync, gzipSync } from "node:zlib";
import { z } from "zod";
import { MODEL_LANGS, TYPE_COUNT, type ProblemModel } from "./problem-model";

/**
 * The shipped problem-model file: gzip of
 *   "EPM1" | uint32 LE header length | header JSON (UTF-8) | zero padding to 4 bytes |
 *   256 × float32 LE decode table | TYPE_COUNT × 2^bits int8 codes.
 * Weights are stored as 8-bit µ-law codes: relative precision for the many small
 * weights of rare n-grams, where linear steps would round them to zero; unused
 * buckets are zeros, which gzip folds away.
 */

const MAGIC = "EPM1";
const MU = 255;

const header = z.object({
  bits: z.number().int().min(8).max(22),
  features: z.object({ charMin: z.number().int().min(1), charMax: z.number().int().min(0), charWeight: z.number(), minNorm2: z.number().min(0) }),
  bias: z.array(z.number()).length(MODEL_LANGS.length * TYPE_COUNT),
  thresholds: z.array(z.number().gt(0).lt(1)).length(TYPE_COUNT),
  about: z.object({
    trainedOn: z.array(z.string()),
    settings: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
    crossValidated: z.record(z.string(), z.number()),
  }),
});

export class ProblemModelFileError extends Error {
  override readonly name = "ProblemModelFileError";
}

/** Rounds the weights to what the file keeps (the model then scores as it will after loading). */
export function quantizeWeights(weights: Float32Array): { table: Float32Array; codes: Int8Array } {
  let scale = 1e-6;
  for (let i = 0; i < weights.length; i++) scale = Math.max(scale, Math.abs(weights[i]!));
  const table = new Float32Array(256);
  for (let q = -127; q <= 127; q++) table[q + 128] = (Math.sign(q) * scale * ((1 + MU) ** (Math.abs(q) / 127) - 1)) / MU;
  table[0] = -scale;
  const codes = new Int8Array(weights.length);
  const logMu = Math.log1p(MU);
  for (let i = 0; i < weights.length; i++) {
    const a = Math.abs(weights[i]!);
    const q = Math.round((127 * Math.log1p((MU * a) / scale)) / logMu);
    codes[i] = weights[i]! < 0 ? -q : q;
  }
  return { table, codes };
}

const decode = (table: Float32Array, codes: Int8Array): Float32Array => {
  const w = new Float32Array(codes.length);
  for (let i = 0; i < codes.length; i++) w[i] = table[codes[i]! + 128]!;
  return w;
};

export function encodeProblemModel(model: ProblemModel): Buffer {
  const { table, codes } = model;
  const json = Buffer.from(
    JSON.stringify({
      bits: model.bits,
      features: model.features,
      bias: [...model.bias].map((b) => Math.round(b * 1e6) / 1e6),
      thresholds: [...model.thresholds].map((t) => Math.round(t * 1e6) / 1e6),
      about: model.about,
    }),
    "utf8",
  );
  const tableStart = Math.ceil((8 + json.length) / 4) * 4;
  const codesStart = tableStart + 256 * 4;
  const out = Buffer.alloc(codesStart + codes.length);
  out.write(MAGIC, 0, "latin1");
  out.writeUInt32LE(json.length, 4);
  json.copy(out, 8);
  for (let i = 0; i < 256; i++) out.writeFloatLE(table[i]!, tableStart + i * 4);
  Buffer.from(codes.buffer, codes.byteOffset, codes.length).copy(out, codesStart);
  // Level 9, and zlib writes no timestamp: the same model gives the same bytes.
  return gzipSync(out, { level: 9 });
}

export function decodeProblemModel(file: Uint8Array, name = "problem model"): ProblemModel {
  let raw: Buffer;
  try {
    raw = gunzipSync(file);
  } catch (err) {
    throw new ProblemModelFileError(`${name}: not a gzip file`, { cause: err });
  }
  if (raw.length < 8 || raw.toString("latin1", 0, 4) !== MAGIC) throw new ProblemModelFileError(`${name}: not an Earshot problem model`);
  const length = raw.readUInt32LE(4);
  if (8 + length > raw.length) throw new ProblemModelFileError(`${name}: truncated header`);
  let json: unknown;
  try {
    json = JSON.parse(raw.toString("utf8", 8, 8 + length));
  } catch (err) {
    throw new ProblemModelFileError(`${name}: unreadable header`, { cause: err });
  }
  const parsed = header.safeParse(json);
  if (!parsed.success) throw new ProblemModelFileError(`${name}: ${z.prettifyError(parsed.error)}`);
  const h = parsed.data;
  const tableStart = Math.ceil((8 + length) / 4) * 4;
  const codesStart = tableStart + 256 * 4;
  const size = TYPE_COUNT * 2 ** h.bits;
  if (raw.length !== codesStart + size) throw new ProblemModelFileError(`${name}: expected ${size} weights, found ${raw.length - codesStart}`);
  const table = new Float32Array(256);
  for (let i = 0; i < 256; i++) table[i] = raw.readFloatLE(tableStart + i * 4);
  const codes = new Int8Array(size);
  codes.set(new Int8Array(raw.buffer, raw.byteOffset + codesStart, size));
  return {
    bits: h.bits,
    features: h.features,
    codes,
    table,
    bias: Float32Array.from(h.bias),
    thresholds: Float32Array.from(h.thresholds),
    about: h.about,
  };
}

/** The weights as they will be after a save and a load. */
export const roundTripWeights = (weights: Float32Array): Float32Array => {
  const { table, codes } = quantizeWeights(weights);
  return decode(table, codes);
};
