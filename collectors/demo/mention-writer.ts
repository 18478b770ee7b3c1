import type { RawMention } from "../source";
import type { Random } from "./random";
import { NETWORKS, PHASES, type Phase, type RecordedPost } from "./recording";

export const SOURCE_KIND = "demo";

/**
 * Accounts this loud (reporters, news desks, bloggers, the influencer) post
 * each of their posts once and never take anyone else's: their words ("going
 * live for 300k of you", a reporter's headline) fit only them.
 */
const HIGH_REACH = 40_000;

/** Networks whose posts carry the writer's language setting; the others leave `lang` to detection. */
const CLAIMS_LANG: ReadonlySet<string> = new Set(["social", "apps"]);

type Author = RecordedPost["author"];

interface Deck {
  /** Indices of the posts still to deal this round, in dealing order. */
  order: number[];
  next: number;
  /** 0 while the posts are dealt for the first time. */
  round: number;
  /** What later rounds deal: the loud accounts had their say once. */
  repeatable: readonly number[];
}

/**
 * Turns recorded posts into RawMentions, one distinct post per call.
 *
 * Each phase's posts are dealt from a shuffled deck, so every post is used
 * before any repeats. A repeat is a new post (its own sourceId, url and
 * engagement), usually by someone else writing in the same language and
 * grammatical gender: many people say the same thing in an outage, one person
 * rarely posts it ten times. Posts of high-reach accounts are dealt only in the
 * first round: a reporter files the story once.
 */
export class MentionWriter {
  readonly #posts: readonly RecordedPost[];
  readonly #random: Random;
  readonly #idPrefix: string;
  readonly #decks = new Map<Phase, Deck>();
  readonly #voices = new Map<string, Author[]>();

  constructor(posts: readonly RecordedPost[], random: Random, idPrefix: string) {
    this.#posts = posts;
    this.#random = random;
    this.#idPrefix = idPrefix;
    for (const phase of PHASES) {
      const all = posts.flatMap((post, index) => (post.phase === phase ? [index] : []));
      if (all.length === 0) throw new Error(`the demo recording has no ${phase} posts`);
      const ordinary = all.filter((index) => posts[index]!.author.followers < HIGH_REACH);
      this.#decks.set(phase, { order: all, next: all.length, round: -1, repeatable: ordinary.length > 0 ? ordinary : all });
    }
    for (const post of posts) {
      if (post.author.followers >= HIGH_REACH) continue;
      for (const key of voiceKeys(post)) {
        const list = this.#voices.get(key) ?? [];
        if (!list.some((a) => a.handle === post.author.handle)) list.push(post.author);
        this.#voices.set(key, list);
      }
    }
  }

  /**
   * The next post of `phase`, published at `publishedAt` (epoch ms).
   * `localId` makes the sourceId unique within this writer; `minute` is the
   * recorded minute, kept in `raw` for audit (null for the live tail).
   */
  write(phase: Phase, publishedAt: number, localId: string, minute: number | null): RawMention {
    const index = this.#deal(phase);
    const post = this.#posts[index]!;
    const author = this.#authorFor(post);
    const sourceId = `${this.#idPrefix}-${localId}`;
    const mention: RawMention = {
      source: SOURCE_KIND,
      sourceId,
      url: NETWORKS[post.network](author.handle, sourceId),
      author: { handle: author.handle, name: author.name, followers: author.followers },
      text: post.text,
      publishedAt,
      engagement: this.#engagement(post, author.followers),
      raw: { recording: index, phase: post.phase, tone: post.tone, network: post.network, minute },
    };
    if (CLAIMS_LANG.has(post.network)) mention.lang = post.lang;
    if (post.rating !== undefined) mention.rating = post.rating;
    return mention;
  }

  #deal(phase: Phase): number {
    const deck = this.#decks.get(phase)!;
    if (deck.next >= deck.order.length) {
      if (deck.round >= 0) deck.order = [...deck.repeatable];
      shuffle(deck.order, this.#random);
      deck.next = 0;
      deck.round += 1;
    }
    return deck.order[deck.next++]!;
  }

  #authorFor(post: RecordedPost): Author {
    const deck = this.#decks.get(post.phase)!;
    // The first time round, every post keeps its recorded author.
    if (deck.round === 0 || post.author.followers >= HIGH_REACH) return post.author;
    const others = this.#voices.get(voiceKeys(post)[0]!)!;
    return others[Math.floor(this.#random.next() * others.length)]!;
  }

  #engagement(post: RecordedPost, followers: number): NonNullable<RawMention["engagement"]> {
    const r = () => this.#random.next();
    // Outages get shared and argued about far more than everyday posts.
    const heat = post.phase === "outage" ? 3 : post.phase === "recovery" ? 1.5 : 1;
    const likes = Math.round((1 + followers * (0.002 + 0.02 * r())) * heat * (0.5 + r()));
    if (post.network === "apps") return { likes };
    const replies = Math.round(likes * (0.05 + 0.3 * r()) * (post.tone === "negative" ? 1.5 : 1));
    const shares = Math.round(likes * (0.03 + 0.2 * r()) * heat);
    if (post.network === "forum" || post.network === "mikroblog" || post.network === "wall") return { likes, replies, shares };
    const views = Math.round(followers * (0.1 + 0.9 * r()) * heat + likes * 15);
    return { likes, replies, shares, views };
  }
}

/** The voice groups an author's posts make them fit: their language, plus the gender their text speaks in. */
function voiceKeys(post: RecordedPost): string[] {
  return post.voice === undefined ? [`${post.lang}`] : [`${post.lang}:${post.voice}`, `${post.lang}`];
}

function shuffle(items: number[], random: Random): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}
