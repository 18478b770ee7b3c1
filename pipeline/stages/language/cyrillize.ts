/**
 * Transliterated Russian read back into Cyrillic ("ne rabotaet, uzhas" →
 * "не работает, ужас"), so that the Russian sentiment model, its lexicons
 * and the problem-type lists, all written for Cyrillic, can read a post the
 * language detector answered `ru` by method "translit".
 *
 * People type Russian in Latin letters without a standard: BGN/PCGN-like
 * digraphs (zh, kh, ch, sh, shch, ya, yu), ISO-like j (tretij, ja), h for х,
 * ' for ь. The reading below takes the longest spelling first and one
 * Cyrillic letter for each; it is a reading, not a dictionary: "eto" is
 * "это" by the rule for a word-initial "et", while a rare word may come out
 * misspelt. The sentiment model reads character n-grams, so a letter off
 * here and there costs little.
 *
 * Links, @handles, #hashtags and words with digits are left as written.
 * Pure and linear in the text.
 */

/** Spellings, longest first within a starting letter (checked in this order). */
const SPELLINGS: readonly (readonly [string, string])[] = [
  ["shch", "щ"],
  ["tsya", "тся"], // gruzitsya, dozvonitsya: т + с, not ц
  ["sch", "щ"],
  ["zh", "ж"],
  ["kh", "х"],
  ["ch", "ч"],
  ["sh", "ш"],
  ["ts", "ц"],
  ["ya", "я"],
  ["yu", "ю"],
  ["yo", "ё"],
  ["ye", "е"],
  ["ja", "я"],
  ["ju", "ю"],
  ["jo", "ё"],
];

const LETTERS: Readonly<Record<string, string>> = {
  a: "а", b: "б", c: "ц", d: "д", e: "е", f: "ф", g: "г", h: "х", i: "и", j: "й", k: "к", l: "л", m: "м",
  n: "н", o: "о", p: "п", q: "к", r: "р", s: "с", t: "т", u: "у", v: "в", w: "в", x: "кс", z: "з",
};
const VOWELS = "aeiouy";

/** A Latin word, possibly with an apostrophe inside (den'gi); everything else is copied as it is. */
const TOKEN = /(?:https?:\/\/|www\.)\S+|[@#]\S+|[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;

export function cyrillize(text: string): string {
  return text.replace(TOKEN, (token) => (/^[A-Za-z]+(?:['’][A-Za-z]+)*$/.test(token) ? cyrillizeWord(token) : token));
}

function cyrillizeWord(word: string): string {
  const lower = word.toLowerCase();
  let out = "";
  let i = 0;
  while (i < lower.length) {
    const ch = lower[i]!;
    if (ch === "'" || ch === "’") {
      out += "ь";
      i++;
      continue;
    }
    if (i === 0 && lower.startsWith("et")) {
      out += "э"; // eto, etot, etu, etazh
      i++;
      continue;
    }
    const spelling = SPELLINGS.find(([latin]) => lower.startsWith(latin, i));
    if (spelling !== undefined) {
      out += spelling[1];
      i += spelling[0].length;
      continue;
    }
    if (ch === "y") {
      // A consonant after a vowel (moy, dostavkoy, otlichnyy's second y), ы after a consonant (vy, ty).
      out += i > 0 && VOWELS.includes(lower[i - 1]!) ? "й" : "ы";
      i++;
      continue;
    }
    out += LETTERS[ch] ?? ch;
    i++;
  }
  return word[0] !== lower[0] ? out[0]!.toUpperCase() + out.slice(1) : out;
}

const CYRILLIC = /\p{Script=Cyrillic}/u;
const LATIN = /[A-Za-z]/;

/**
 * The text the Russian readers (sentiment, problem types) should read: a
 * Russian or Ukrainian post written wholly in Latin letters, read back into
 * Cyrillic; any other text as it is (a Cyrillic post with a Latin brand name
 * stays untouched).
 */
export function readableText(text: string, lang: string): string {
  return (lang === "ru" || lang === "uk") && LATIN.test(text) && !CYRILLIC.test(text) ? cyrillize(text) : text;
}
