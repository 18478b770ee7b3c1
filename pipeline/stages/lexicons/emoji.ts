import type { Evidence } from "./lexicon";

/**
 * Emoji and emoticons, shared by every language Earshot reads with its own
 * lexicons (English is left to its libraries, which know emoji already).
 * Weights on the AFINN scale, like the word lexicons.
 */
const EMOJI: Record<string, number> = {
  // negative
  "😡": -3, "🤬": -3.5, "😠": -2.5, "👿": -2.5, "😤": -2, "👎": -2, "💩": -2.5, "🤮": -3, "🤢": -2,
  "😢": -2, "😭": -2, "😞": -2, "😔": -1.5, "😟": -1.5, "😩": -2, "😫": -2, "😖": -2, "😣": -1.5,
  "😒": -1.5, "🙄": -1.5, "😑": -1, "😕": -1, "🫤": -1, "🙁": -1.5, "☹": -1.5, "😐": -0.5, "😬": -1,
  "😱": -1.5, "😨": -1.5, "😰": -1.5, "🤦": -2, "🤡": -2, "💔": -2, "❌": -1, "⛔": -1, "🚫": -1,
  "⚠": -0.5, "🆘": -2, "🐌": -1.5, "🤷": -0.5, "😏": -0.5, "🖕": -3, "😓": -1, "🥲": -0.5,
  // positive
  "👍": 2, "👌": 1.5, "👏": 2, "🙌": 2, "🎉": 2, "🥳": 2, "😍": 3, "🥰": 3, "😘": 2, "❤": 3, "💙": 2.5,
  "💚": 2.5, "💛": 2.5, "💜": 2.5, "🧡": 2.5, "💖": 3, "💕": 2.5, "😊": 2, "☺": 2, "🙂": 1, "😀": 2,
  "😃": 2, "😄": 2, "😁": 2, "😆": 1.5, "😂": 1, "🤣": 1, "😉": 1, "😎": 1.5, "🤩": 3, "💪": 1.5,
  "🙏": 1.5, "✅": 1, "✨": 1, "⭐": 1, "🌟": 1.5, "🔥": 1, "🚀": 1.5, "💯": 2, "🤗": 2, "😇": 1.5, "🏆": 2,
};

/** Written with ASCII; matched only when they stand apart from words (so "http://" is no ":/"). */
const EMOTICONS: Record<string, number> = {
  ":)": 1.5, ":-)": 1.5, "=)": 1.5, ":]": 1, ":D": 2, ":-D": 2, "xD": 1.5, "XD": 1.5, "xd": 1.5,
  ";)": 1, ";-)": 1, ":P": 1, ":p": 1, "<3": 2.5, ":*": 1.5,
  ":(": -2, ":-(": -2, "=(": -2, ":'(": -2.5, ":/": -1, ":-/": -1, ":|": -0.5, ">:(": -3,
};

/** Russian-style bare brackets: "починили))" smiles, "опять((" frowns. */
const BRACKET_SMILE = 1.5;
const BRACKET_FROWN = -1.5;
/** "😡😡😡😡😡" is angrier than one, but not five times. */
const MAX_REPEATS = 3;

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
const byLength = (a: string, b: string) => b.length - a.length;

// One expression for the whole table, built once: emoji (any variation selector or
// skin tone after them is ignored), bracket runs, then emoticons with their last
// character allowed to repeat (":)))", ":DDD").
const SYMBOLS = new RegExp(
  [
    `(${Object.keys(EMOJI).sort(byLength).map(escape).join("|")})`,
    `(\\){2,}|\\({2,})`,
    `(?<![\\p{L}\\p{N}:/])(${Object.keys(EMOTICONS)
      .sort(byLength)
      .map((e) => `${escape(e)}${escape(e.at(-1)!)}*`)
      .join("|")})(?![\\p{L}\\p{N}/])`,
  ].join("|"),
  "gu",
);

/** The emoji and emoticons in `text`, each with its weight. */
export const readEmoji = (text: string): Evidence[] => {
  const found: Evidence[] = [];
  const seen = new Map<string, number>();
  for (const m of text.matchAll(SYMBOLS)) {
    let term: string;
    let weight: number;
    if (m[1] !== undefined) {
      term = m[1];
      weight = EMOJI[term]!;
    } else if (m[2] !== undefined) {
      term = m[2];
      weight = term.startsWith(")") ? BRACKET_SMILE : BRACKET_FROWN;
    } else {
      term = m[3]!;
      weight = EMOTICONS[term] ?? EMOTICONS[collapseRepeats(term)] ?? 0;
    }
    const count = (seen.get(term) ?? 0) + 1;
    seen.set(term, count);
    if (count <= MAX_REPEATS && weight !== 0) found.push({ term, weight });
  }
  return found;
};

/** ":)))" → ":)" so a repeated emoticon finds its table entry. */
const collapseRepeats = (s: string): string => {
  let end = s.length;
  while (end > 2 && s[end - 1] === s[end - 2]) end--;
  return s.slice(0, end);
};
