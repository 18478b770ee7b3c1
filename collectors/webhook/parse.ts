import { mapRecord } from "../file-import/map-record";
import type { RawMention } from "../source";

/**
 * A pushed JSON body → RawMention[]. Pure: no I/O, no clock. Tools that push
 * (Zapier-style automations, a CRM, a support desk) send what they have under
 * their own field names, the same problem an export file has, so each record
 * goes through the file importer's mapping. One bad record is reported by its
 * index and the others are still taken.
 */

/** The `source` of every pushed mention; the pushing tool is in the sourceId. */
export const SOURCE_KIND = "webhook";

/** What may follow /ingest/: a lowercase slug, so it is safe in ids, logs and URLs. */
export const SOURCE_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** Records one request may carry; a larger batch is refused whole, so nothing is taken half. */
export const MAX_ITEMS = 1000;

/** A record that was not taken, and why. Never holds the record's text. */
export interface IngestProblem {
  /** Position in the pushed array (0 for a single object). */
  index: number;
  reason: string;
}

export interface IngestBatch {
  mentions: RawMention[];
  /** Each mention's position in the pushed array, to report a later problem with it by its index. */
  indexes: number[];
  problems: IngestProblem[];
}

const SHAPE = "expected a mention object, an array of them, or { \"mentions\": [...] }";

/**
 * The records of a body: an array as it is, `{ mentions: [...] }` unwrapped,
 * and any other value as a one-record batch (which the mapping then accepts
 * or reports).
 */
export function ingestItems(json: unknown): readonly unknown[] {
  if (Array.isArray(json)) return json;
  if (isObject(json) && Object.hasOwn(json, "mentions") && Array.isArray(json["mentions"])) return json["mentions"];
  return [json];
}

/**
 * `source` is the path segment the body came in on (see SOURCE_NAME); it
 * prefixes every sourceId, so two tools that both number their records from 1
 * cannot overwrite each other's mentions.
 */
export function parseIngestBody(source: string, json: unknown): IngestBatch {
  if (!SOURCE_NAME.test(source)) throw new RangeError(`not a webhook source name: ${JSON.stringify(source.slice(0, 80))}`);
  const batch: IngestBatch = { mentions: [], indexes: [], problems: [] };
  ingestItems(json).forEach((item, index) => {
    if (!isObject(item)) {
      batch.problems.push({ index, reason: `a JSON ${describe(item)}, ${SHAPE}` });
      return;
    }
    const mapped = mapRecord(item);
    if ("reason" in mapped) {
      batch.problems.push({ index, reason: mapped.reason });
      return;
    }
    batch.mentions.push({ ...mapped.mention, source: SOURCE_KIND, sourceId: `${source}:${mapped.mention.sourceId}` });
    batch.indexes.push(index);
  });
  return batch;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}
