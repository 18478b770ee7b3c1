import { gunzipSync, gzipSync } from "node:zlib";
import { z } from "zod";
import type { SentimentModel } from "./model";

/**
 * The shipped weights file: gzip of
 *   "ESW1" | uint32 LE header length | header JSON (UTF-8) | zero padding to 4 bytes |
 *   256 × float32 LE decode table | 3 × 2^bits int8 codes.
 * The header says everything needed to rebuild the features the model was trained on.
 */

const MAGIC = "ESW1";

const header = z.object({
  lang: z.enum(["pl", "ru", "en"]),
  bits: z.number().int().min(8).max(24),
  features: z.object({ charMin: z.number().int().min(0), charMax: z.number().int().min(0), charWeight: z.number(), bigrams: z.boolean(), minNorm2: z.number().min(0) }),
  lexiconFeatures: z.boolean(),
  bias: z.array(z.number()).length(3),
  about: z.object({
    trainedOn: z.array(z.string()),
    settings: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
    dev: z.record(z.string(), z.number()),
  }),
});

export class WeightsFileError extends Error {
  override readonly name = "WeightsFileError";
}

export const encodeWeights = (model: SentimentModel): Buffer => {
  const json = Buffer.from(
    JSON.stringify({
      lang: model.lang,
      bits: model.bits,
      features: model.features,
      lexiconFeatures: model.lexiconFeatures,
      bias: [...model.bias],
      about: model.about,
    }),
    "utf8",
  );
  const headerEnd = 8 + json.length;
  const tableStart = Math.ceil(headerEnd / 4) * 4;
  const codesStart = tableStart + 256 * 4;
  const out = Buffer.alloc(codesStart + model.codes.length);
  out.write(MAGIC, 0, "latin1");
  out.writeUInt32LE(json.length, 4);
  json.copy(out, 8);
  for (let i = 0; i < 256; i++) out.writeFloatLE(model.table[i]!, tableStart + i * 4);
  Buffer.from(model.codes.buffer, model.codes.byteOffset, model.codes.length).copy(out, codesStart);
  // Level 9 and no timestamp in a raw gzip header from zlib: the same model gives the same bytes.
  return gzipSync(out, { level: 9 });
};

export const decodeWeights = (file: Uint8Array, name = "weights"): SentimentModel => {
  let raw: Buffer;
  try {
    raw = gunzipSync(file);
  } catch (err) {
    throw new WeightsFileError(`${name}: not a gzip file`, { cause: err });
  }
  if (raw.length < 8 || raw.toString("latin1", 0, 4) !== MAGIC) throw new WeightsFileError(`${name}: not an Earshot sentiment weights file`);
  const length = raw.readUInt32LE(4);
  if (8 + length > raw.length) throw new WeightsFileError(`${name}: truncated header`);
  let json: unknown;
  try {
    json = JSON.parse(raw.toString("utf8", 8, 8 + length));
  } catch (err) {
    throw new WeightsFileError(`${name}: unreadable header`, { cause: err });
  }
  const parsed = header.safeParse(json);
  if (!parsed.success) throw new WeightsFileError(`${name}: ${z.prettifyError(parsed.error)}`);
  const h = parsed.data;
  const tableStart = Math.ceil((8 + length) / 4) * 4;
  const codesStart = tableStart + 256 * 4;
  const size = 3 * 2 ** h.bits;
  if (raw.length !== codesStart + size) throw new WeightsFileError(`${name}: expected ${size} weights, found ${raw.length - codesStart}`);
  const table = new Float32Array(256);
  for (let i = 0; i < 256; i++) table[i] = raw.readFloatLE(tableStart + i * 4);
  const codes = new Int8Array(size);
  codes.set(new Int8Array(raw.buffer, raw.byteOffset + codesStart, size));
  return {
    lang: h.lang,
    bits: h.bits,
    features: h.features,
    lexiconFeatures: h.lexiconFeatures,
    bias: Float32Array.from(h.bias),
    table,
    codes,
    about: h.about,
  };
};
