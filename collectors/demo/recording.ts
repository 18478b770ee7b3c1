import { z } from "zod";
import data from "./recording.json" with { type: "json" };

/**
 * The recorded crisis of Lumio, a fictional mobile operator and home-internet
 * provider: posts written for the demo in Polish, Russian and English, each
 * tagged with the phase of the crisis it belongs to. The replay (plan.ts)
 * decides when and how often each post appears; this file only says what the
 * recording holds and checks it once at load.
 */

export const PHASES = ["calm", "outage", "recovery"] as const;
export type Phase = (typeof PHASES)[number];

/**
 * The fictional networks the posts come from. Each becomes a host under the
 * reserved `.example` domain in the mention's URL, never a real site.
 */
export const NETWORKS = {
  /** microblog posts (tweet-like) */
  social: (handle: string, id: string) => `https://social.example/@${handle}/${id}`,
  /** threaded discussion (Reddit-like) */
  forum: (_handle: string, id: string) => `https://forum.example/t/lumio/${id}`,
  /** Polish link-and-comment site (Wykop-like) */
  mikroblog: (_handle: string, id: string) => `https://mikroblog.example/wpis/${id}`,
  /** Russian-language wall posts (VK-like) */
  wall: (handle: string, id: string) => `https://wall.example/${handle}?w=${id}`,
  /** channel posts (Telegram-like) */
  channel: (handle: string, id: string) => `https://channel.example/${handle}/${id}`,
  /** app-store reviews, the only posts with a star rating */
  apps: (_handle: string, id: string) => `https://apps.example/app/lumio/reviews/${id}`,
  /** news sites and their reporters */
  news: (handle: string, id: string) => `https://news.example/${handle}/${id}`,
} as const satisfies Record<string, (handle: string, id: string) => string>;
export type Network = keyof typeof NETWORKS;

const networkNames = Object.keys(NETWORKS) as [Network, ...Network[]];

const recordedPost = z
  .strictObject({
    phase: z.enum(PHASES),
    lang: z.enum(["pl", "ru", "en"]),
    /** What the writer meant, as a person reading it would label it. Not sent as sentiment: the pipeline scores text itself. */
    tone: z.enum(["negative", "neutral", "positive"]),
    network: z.enum(networkNames),
    author: z.strictObject({
      handle: z.string().regex(/^[a-z0-9._]{2,32}$/),
      name: z.string().min(1).max(64),
      followers: z.number().int().min(0),
    }),
    /** Plain text as typed, markup and entities included: mention text is untrusted downstream. */
    text: z.string().min(1).max(1000),
    /**
     * The grammatical gender the text speaks in ("Zamówiłem", "Заказала"), when
     * it has one: a replay that gives the text another author picks one whose
     * own posts speak in the same gender.
     */
    voice: z.enum(["f", "m"]).optional(),
    /** Star rating, for app-store reviews only. */
    rating: z.number().int().min(1).max(5).optional(),
  })
  .refine((post) => (post.network === "apps") === (post.rating !== undefined), {
    message: "app-store reviews, and only they, carry a rating",
  });
export type RecordedPost = z.infer<typeof recordedPost>;

export const recordingSchema = z
  .array(recordedPost)
  .refine((posts) => PHASES.every((phase) => posts.some((p) => p.phase === phase)), {
    message: "every phase needs at least one post",
  });

/** Checks a recording; throws a ZodError that names the bad post by index. */
export function parseRecording(input: unknown): readonly RecordedPost[] {
  return recordingSchema.parse(input);
}

/** The recording shipped with Earshot (recording.json). */
export const recording: readonly RecordedPost[] = parseRecording(data);
