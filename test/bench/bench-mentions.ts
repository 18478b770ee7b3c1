import type { RawMention } from "../../collectors/source";
import { MentionWriter } from "../../collectors/demo/mention-writer";
import { createRandom, type Random } from "../../collectors/demo/random";
import { recording, type Phase } from "../../collectors/demo/recording";

export const MINUTE_MS = 60_000;

/**
 * Raw mentions for the benchmarks, made from the demo recording's Polish,
 * Russian and English posts. The demo's MentionWriter deals them: every post is
 * used before any repeats, repeats get other authors and engagement, and every
 * mention has its own sourceId, so nothing is dropped as a duplicate and the
 * pipeline does the full work for each one.
 */
export class BenchMentions {
  readonly #writer: MentionWriter;
  readonly #random: Random;
  #seq = 0;

  constructor(seed: number, idPrefix: string) {
    this.#random = createRandom(seed);
    this.#writer = new MentionWriter(recording, this.#random, idPrefix);
  }

  /** One mention of `phase` published at `publishedAt` (epoch ms). */
  demo(phase: Phase, publishedAt: number): RawMention {
    return this.#writer.write(phase, publishedAt, `${this.#seq++}`, null);
  }

  /**
   * Like `demo`, but one in four arrives the way a feed delivers it: an RSS
   * item with the text as escaped HTML and an ISO date. Real installations mix
   * both shapes, and the HTML path (htmlparser2, entity decoding) costs more
   * than plain text, so leaving it out would flatter the stage figures.
   */
  mixed(phase: Phase, publishedAt: number): RawMention {
    const mention = this.demo(phase, publishedAt);
    if (this.#random.next() >= 0.25) return mention;
    const text = mention.text ?? "";
    return {
      source: "rss",
      sourceId: mention.sourceId,
      url: `https://news.example/feed/${encodeURIComponent(mention.sourceId)}`,
      author: { name: mention.author?.name ?? "" },
      html: `<p>${escapeHtml(text)}</p><p><a href="https://news.example/">news.example</a></p>`,
      publishedAt: new Date(publishedAt).toISOString(),
    };
  }

  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number {
    return this.#random.int(min, max);
  }

  next(): number {
    return this.#random.next();
  }
}

/**
 * A day of mentions of one brand in event-time order, ending `endsAt`: a calm
 * baseline, an hour of outage at triple volume two thirds of the way in, and an
 * hour of recovery after it. The outage makes the spike detector open (and
 * later resolve) an incident, so the throughput figure includes that path too.
 */
export function dayOfMentions(count: number, endsAt: number, seed = 1): RawMention[] {
  const source = new BenchMentions(seed, `bench-${seed}`);
  const minutes = 24 * 60;
  const outageFrom = Math.floor(minutes * 0.66);
  const phaseOf = (m: number): Phase => (m < outageFrom ? "calm" : m < outageFrom + 60 ? "outage" : m < outageFrom + 120 ? "recovery" : "calm");
  const weightOf = (m: number): number => ({ calm: 1, outage: 3, recovery: 1.5 })[phaseOf(m)];
  let totalWeight = 0;
  for (let m = 0; m < minutes; m++) totalWeight += weightOf(m);

  const start = endsAt - minutes * MINUTE_MS;
  const out: RawMention[] = [];
  let owed = 0;
  for (let m = 0; m < minutes && out.length < count; m++) {
    owed += (count * weightOf(m)) / totalWeight;
    const here = Math.min(Math.round(owed), count - out.length);
    owed -= here;
    const offsets = Array.from({ length: here }, () => source.int(0, MINUTE_MS - 1)).sort((a, b) => a - b);
    // In the outage one post in ten is still everyday talk from people it did not reach.
    for (const offset of offsets) {
      const phase = phaseOf(m) === "outage" && source.next() < 0.1 ? "calm" : phaseOf(m);
      out.push(source.mixed(phase, start + m * MINUTE_MS + offset));
    }
  }
  while (out.length < count) out.push(source.mixed("calm", endsAt - 1));
  return out;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
