/**
 * Letter-by-letter transliteration between Cyrillic (Russian, Ukrainian) and
 * Latin, as regex alternatives rather than one spelling: brand names reach
 * Latin text in several systems at once, so "Яндекс" has to find "Yandex",
 * "Jandeks" and "Iandeks".
 *
 * Cyrillic → Latin accepts, for each letter, the spellings of BGN/PCGN (ya, zh,
 * kh, ts, shch), GOST 7.79-2000 system B / ISO 9 where it is plain ASCII (y, x
 * for кс as brands write it), and Polish practice (ja, ż, ch, cz, sz, szcz).
 * The first spelling in each list is the one whose ending decides the Polish
 * inflection. Latin → Cyrillic is the reverse table, digraphs first (sh, ch,
 * zh, ya, ts …). Both are letter-based, not phonetic: "Google" gives "Гоогле",
 * not "Гугл" — write such a native spelling as its own term.
 *
 * References: BGN/PCGN 1947 romanization of Russian; GOST 7.79-2000; the
 * Polish transcription rules of the Rada Języka Polskiego ("Pisownia nazw
 * rosyjskich").
 */

/** One letter (or digraph) of the source and the spellings it may take in the other script. */
export interface Segment {
  /** What the segment covers in the source word. */
  from: string;
  /** Spellings, most common first; "" means the letter is not written (ъ, ь). */
  alts: readonly string[];
}

export type Script = "latin" | "cyrillic";

const CYRILLIC = /^[\p{Script=Cyrillic}]+$/u;
const LATIN = /^[\p{Script=Latin}]+$/u;

/** The script of a plain word, or null for digits, symbols or mixed scripts. */
export function scriptOf(word: string): Script | null {
  if (CYRILLIC.test(word)) return "cyrillic";
  if (LATIN.test(word)) return "latin";
  return null;
}

const CYR_TO_LAT: Record<string, readonly string[]> = {
  а: ["a"], б: ["b"], в: ["v", "w"], г: ["g", "h"], д: ["d"], е: ["e"], ё: ["yo", "e", "jo", "io"],
  ж: ["zh", "ż", "z", "j"], з: ["z"], и: ["i", "y"], й: ["y", "j", "i"], к: ["k"], л: ["l"], м: ["m"],
  н: ["n"], о: ["o"], п: ["p"], р: ["r"], с: ["s"], т: ["t"], у: ["u"], ф: ["f"], х: ["kh", "h", "ch"],
  ц: ["ts", "c", "tz"], ч: ["ch", "cz"], ш: ["sh", "sz"], щ: ["shch", "sch", "szcz"], ъ: [""], ы: ["y", "i"],
  ь: [""], э: ["e"], ю: ["yu", "ju", "iu"], я: ["ya", "ja", "ia"],
  // Ukrainian
  і: ["i"], ї: ["yi", "ji", "i"], є: ["ye", "je", "ie"], ґ: ["g"],
};
/** е after a vowel, a sign or at the start is iotated: Евросеть → Yevroset / Evroset. */
const IOTATED_E = ["e", "ye", "je"];
const CYR_VOWELS_AND_SIGNS = "аеёиоуыэюяіїєъь";

const LAT_DIGRAPHS: [string, readonly string[]][] = [
  ["szcz", ["щ"]], ["shch", ["щ"]], ["sch", ["щ", "сх"]], ["zh", ["ж"]], ["kh", ["х"]], ["ch", ["ч", "х"]],
  ["sh", ["ш"]], ["sz", ["ш"]], ["cz", ["ч"]], ["ts", ["ц", "тс"]], ["tz", ["ц"]], ["ya", ["я"]], ["ja", ["я"]],
  ["yu", ["ю"]], ["ju", ["ю"]], ["yo", ["ё", "йо"]], ["jo", ["ё", "йо"]], ["ye", ["е", "йе"]], ["je", ["е"]],
];
const LAT_TO_CYR: Record<string, readonly string[]> = {
  a: ["а"], b: ["б"], c: ["к", "ц"], d: ["д"], e: ["е", "э"], f: ["ф"], g: ["г"], h: ["х", "г"], i: ["и"],
  j: ["й", "дж"], k: ["к"], l: ["л"], m: ["м"], n: ["н"], o: ["о"], p: ["п"], q: ["к"], r: ["р"], s: ["с"],
  t: ["т"], u: ["у"], v: ["в"], w: ["в"], x: ["кс"], z: ["з"],
  ą: ["он", "а"], ć: ["ч", "ц"], ę: ["ен", "е"], ł: ["л"], ń: ["нь", "н"], ó: ["у", "о"], ś: ["с", "ш"], ź: ["з", "ж"], ż: ["ж"],
  é: ["е"], è: ["е"], ü: ["ю", "у"], ö: ["ё", "о"], ä: ["э", "а"],
};
const LAT_VOWELS = "aeiouyąęó";

const capitalise = (s: string): string => (s === "" ? s : s[0]!.toUpperCase() + s.slice(1));
const isUpper = (ch: string): boolean => ch !== ch.toLowerCase();

/** The segments of `word` in the other script, or null when some letter has no mapping. */
export function transliterate(word: string, from: Script): Segment[] | null {
  return from === "cyrillic" ? cyrillicToLatin(word) : latinToCyrillic(word);
}

function cyrillicToLatin(word: string): Segment[] | null {
  const chars = [...word];
  const out: Segment[] = [];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    const lower = ch.toLowerCase();
    let alts: readonly string[] | undefined;
    let from = ch;
    if (lower === "к" && chars[i + 1]?.toLowerCase() === "с") {
      alts = ["ks", "x"];
      from = ch + chars[i + 1]!;
      i++;
    } else if (lower === "е") {
      const prev = chars[i - 1]?.toLowerCase();
      alts = prev === undefined || CYR_VOWELS_AND_SIGNS.includes(prev) ? IOTATED_E : CYR_TO_LAT[lower];
    } else {
      alts = CYR_TO_LAT[lower];
    }
    if (alts === undefined) return null;
    out.push({ from, alts: isUpper(ch) ? alts.map(capitalise) : alts });
  }
  return out;
}

function latinToCyrillic(word: string): Segment[] | null {
  const lowerWord = word.toLowerCase();
  if (lowerWord.length !== word.length) return null; // "İ" lowercases to two code units
  const out: Segment[] = [];
  let i = 0;
  while (i < word.length) {
    const ch = word[i]!;
    const digraph = LAT_DIGRAPHS.find(([d]) => lowerWord.startsWith(d, i));
    let alts: readonly string[] | undefined;
    let len = 1;
    if (digraph !== undefined) {
      alts = digraph[1];
      len = digraph[0].length;
    } else if (lowerWord[i] === "y") {
      // y is a consonant after a vowel (Play → Плэй), a vowel elsewhere.
      const prev = lowerWord[i - 1];
      alts = prev !== undefined && LAT_VOWELS.includes(prev) ? ["й"] : i === word.length - 1 ? ["и", "ы"] : ["ы", "и", "й"];
    } else {
      alts = LAT_TO_CYR[lowerWord[i]!];
    }
    if (alts === undefined) return null;
    out.push({ from: word.slice(i, i + len), alts: isUpper(ch) ? alts.map(capitalise) : alts });
    i += len;
  }
  return out;
}

/** The most common spelling: what the other language's inflection rules look at. */
export const primarySpelling = (segments: readonly Segment[]): string => segments.map((s) => s.alts[0]!).join("");
