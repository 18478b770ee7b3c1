/**
 * Inflected forms of a brand word, generated from its ending by the regular
 * Polish and Russian declension patterns (with Ukrainian dative/locative
 * alternations for Cyrillic -ка/-га/-ха words, which Ukrainian posts use).
 *
 * References: Polish — "Odmiana rzeczowników" in the Wielki słownik
 * ortograficzny PWN (tables of masculine hard/soft/velar stems, feminine -a
 * with k→c, g→dz, ch→sz, r→rz, t→ć, d→dź before -e); Russian — A. A. Zaliznyak,
 * "Grammatical dictionary of Russian" (declension types 1a, 3a, 6a, 7a, 8a and
 * the spelling rule и/ы after velars and sibilants).
 *
 * Only nouns are modelled, and only regular ones: a result is a common stem plus
 * the set of endings, so the compiler builds one compact alternation per word.
 * Words ending in other vowels (-o, -e, -i, -u, -y, -ю …) are treated as
 * indeclinable, as foreign brand names mostly are ("Lumio", "Allegro", "Авито").
 */

export type InflectionLang = "pl" | "ru";

export interface Inflection {
  /** Shared beginning of every form, spelled as in the term (case kept). */
  stem: string;
  /** What may follow the stem, lower case; "" is the form as written. */
  tails: readonly string[];
  /** The pattern that produced the tails, for `earshot match` explanations. */
  rule: string;
}

const indeclinable = (word: string, why: string): Inflection => ({ stem: word, tails: [""], rule: why });

/** A word all in capitals (PKO, MTS, МТС) is an abbreviation: its endings come after a hyphen, which is already a word boundary. */
const isAbbreviation = (word: string): boolean => [...word].length >= 2 && word === word.toUpperCase() && word !== word.toLowerCase();

const ONLY_LETTERS = /^[\p{L}]+$/u;

/** Inflects one word by the rules of `lang`; anything but a plain word of two letters or more is left as written. */
export function inflect(word: string, lang: InflectionLang): Inflection {
  if ([...word].length < 2 || !ONLY_LETTERS.test(word)) return indeclinable(word, "not a plain word: as written");
  if (isAbbreviation(word)) return indeclinable(word, "abbreviation: as written (endings follow a hyphen)");
  return lang === "pl" ? inflectPolish(word) : inflectRussian(word);
}

/** Builds the result from forms written as replacements of the last `cut` letters. */
function fromEnd(word: string, cut: number, tails: readonly string[], rule: string): Inflection {
  const chars = [...word];
  const stem = chars.slice(0, chars.length - cut).join("");
  const ending = chars.slice(chars.length - cut).join("").toLowerCase();
  return { stem, tails: [...new Set([ending, ...tails])], rule };
}

// ───────────── Polish ─────────────

const PL_VOWELS = "aąeęioóuy";
/** Functionally soft (and hardened) stem endings: locative -u, plural -e. */
const PL_SOFT = ["cz", "sz", "rz", "dż", "dz", "c", "ż", "j", "l"];
/** Hard stem endings and their form before the locative/dative -e. */
const PL_BEFORE_E: [string, string][] = [
  ["st", "ści"], ["sł", "śl"], ["zd", "ździ"], ["ch", "sz"],
  ["t", "ci"], ["d", "dzi"], ["r", "rz"], ["ł", "l"], ["n", "ni"], ["s", "si"], ["z", "zi"],
  ["m", "mi"], ["p", "pi"], ["b", "bi"], ["w", "wi"], ["f", "fi"], ["v", "vi"], ["k", "c"], ["g", "dz"],
];
/** Soft letters written with an acute accent at the end of a word, and their spelling before a vowel. */
const PL_ACUTE: Record<string, string> = { ń: "ni", ś: "si", ć: "ci", ź: "zi" };

const endsWithAny = (w: string, list: readonly string[]): string | undefined => list.find((e) => w.endsWith(e));

function inflectPolish(word: string): Inflection {
  const w = word.toLowerCase();
  const last = w.at(-1)!;
  const beforeLast = w.at(-2)!;

  if (last === "a") {
    if (beforeLast === "i") {
      // Nokia → Nokii, Nokię, Nokią; the stem keeps its -i.
      return fromEnd(word, 1, ["i", "ę", "ą", "o", "e", "om", "ami", "ach"], "pl: feminine -ia");
    }
    if (PL_VOWELS.includes(beforeLast)) return fromEnd(word, 1, ["i", "ę", "ą", "o"], "pl: feminine vowel + a");
    return polishFeminineA(word, w.slice(0, -1));
  }
  if (PL_VOWELS.includes(last)) {
    // Play, Disney: a final -y after a vowel is the consonant j.
    if (last === "y" && "aeou".includes(beforeLast)) {
      return fromEnd(word, 0, ["a", "u", "owi", "em", "e", "ów", "om", "ami", "ach"], "pl: masculine stem in -j (spelt -y)");
    }
    return indeclinable(word, "pl: ends in a vowel other than -a: indeclinable");
  }
  if (last === "x") {
    // Netflix → Netflixa / Netfliksa, Netflixie / Netfliksie.
    const tails = MASC_HARD_TAILS.flatMap((t) => [`x${t}`, `ks${t}`]).concat(["xie", "ksie", "xy", "ksy"]);
    return fromEnd(word, 1, tails, "pl: masculine hard stem in -x (also spelt -ks-)");
  }
  const acute = PL_ACUTE[last];
  if (acute !== undefined) {
    // Poznań → Poznania: the accent becomes -i- before a vowel.
    const tails = ["a", "u", "owi", "em", "e", "ów", "y", "om", "ami", "ach"].map((t) => `${acute}${t}`);
    return fromEnd(word, 1, tails, "pl: masculine soft stem in -ń/-ś/-ć/-ź");
  }
  const soft = endsWithAny(w, PL_SOFT);
  if (soft !== undefined) {
    return fromEnd(word, 0, ["a", "u", "owi", "em", "e", "y", "i", "ów", "om", "ami", "ach"], "pl: masculine soft stem");
  }
  if (last === "k" || last === "g") {
    const tails = ["a", "u", "owi", "iem", "i", "ów", "om", "ami", "ach"];
    // A fleeting -e- (Lotek → Lotka) applies to -ek after a consonant.
    if (w.endsWith("ek") && w.length >= 5 && !PL_VOWELS.includes(w.at(-3)!)) {
      // Both readings are kept: Lotek → Lotka (fleeting) and Kodek → Kodeka (not); the wrong one is not a word.
      return fromEnd(word, 2, ["ek", ...tails.map((t) => `k${t}`), ...tails.map((t) => `ek${t}`)], "pl: masculine -ek (with and without a fleeting e)");
    }
    return fromEnd(word, 0, tails, "pl: masculine velar stem");
  }
  if (w.endsWith("ch")) return fromEnd(word, 0, ["a", "u", "owi", "em", "y", "ów", "om", "ami", "ach"], "pl: masculine stem in -ch");
  const hard = PL_BEFORE_E.find(([end]) => w.endsWith(end));
  if (hard !== undefined) {
    // Orlen → Orlenie, Internet → Internecie, Carrefour → Carrefourze.
    const [end, before] = hard;
    const cut = [...end].length;
    const tails = MASC_HARD_TAILS.map((t) => `${end}${t}`).concat([`${before}e`]);
    return fromEnd(word, cut, tails, "pl: masculine hard stem");
  }
  return fromEnd(word, 0, MASC_HARD_TAILS, "pl: masculine consonant stem");
}

/** Endings of a masculine hard stem except the locative (which needs the stem alternation). */
const MASC_HARD_TAILS = ["", "a", "u", "owi", "em", "y", "ów", "om", "ami", "ach"];

function polishFeminineA(word: string, stem: string): Inflection {
  const soft = endsWithAny(stem, PL_SOFT);
  if (soft !== undefined) {
    // Tarcza → Tarczy, Tarczę; Kola → Koli.
    const gen = soft === "l" || soft === "j" ? "i" : "y";
    return fromEnd(word, 1, [gen, "ę", "ą", "o", "e", "om", "ami", "ach"], "pl: feminine -a, soft stem");
  }
  const velar = stem.endsWith("k") || stem.endsWith("g");
  const gen = velar ? "i" : "y";
  const hard = PL_BEFORE_E.find(([end]) => stem.endsWith(end));
  const cut = hard === undefined ? 1 : [...hard[0]].length + 1;
  const end = hard === undefined ? "" : hard[0];
  // Żabka → Żabce, Praga → Pradze, Poczta → Poczcie, Kora → Korze.
  const dative = hard === undefined ? `${end}e` : `${hard[1]}e`;
  const tails = ["a", gen, "ę", "ą", "o", "om", "ami", "ach"].map((t) => `${end}${t}`).concat([dative]);
  // Genitive plural: a fleeting -e- before a final -k after a consonant (Żabka → Żabek).
  const beforeK = stem.at(-2);
  if (stem.endsWith("k") && beforeK !== undefined && !PL_VOWELS.includes(beforeK)) tails.push("ek");
  return fromEnd(word, cut, tails, velar ? "pl: feminine -a, velar stem (k→c, g→dz before -e)" : "pl: feminine -a, hard stem");
}

// ───────────── Russian ─────────────

const RU_VOWELS = "аеёиоуыэюя";
const RU_VELARS = "гкх";
const RU_SIBILANTS = "жшщч";

function inflectRussian(word: string): Inflection {
  const w = word.toLowerCase();
  const last = w.at(-1)!;
  const before = w.at(-2)!;

  if (w.endsWith("ия")) {
    // Россия → России, Россию, Россией.
    return fromEnd(word, 1, ["и", "ю", "ей", "ею", "й", "ям", "ями", "ях"], "ru: feminine -ия");
  }
  if (last === "я") return fromEnd(word, 1, ["и", "е", "ю", "ей", "ею", "ям", "ями", "ях"], "ru: feminine -я");
  if (last === "а") {
    if (RU_VOWELS.includes(before)) return indeclinable(word, "ru: vowel + а: as written");
    const i = RU_VELARS.includes(before) || RU_SIBILANTS.includes(before) ? "и" : "ы";
    const tails = ["а", i, "е", "у", "ой", "ою", "ам", "ами", "ах"];
    if (RU_SIBILANTS.includes(before) || before === "ц") tails.push("ей", "ею");
    // Genitive plural with a fleeting vowel: Жабка → Жабок, Копейка → Копеек.
    const third = w.at(-3);
    if (before === "к" && third !== undefined && !RU_VOWELS.includes(third)) {
      if (third === "й" || third === "ь") {
        return fromEnd(word, 3, [...tails.map((t) => `${third}к${t}`), "ек"], "ru: feminine -йка/-ька with a fleeting е");
      }
      const fleeting = RU_SIBILANTS.includes(third) ? "ек" : "ок";
      return fromEnd(word, 2, [...tails.map((t) => `к${t}`), fleeting, "ці"], "ru: feminine -ка (fleeting о/е in the genitive plural; Ukrainian к→ц before -і)");
    }
    const uk = UKRAINIAN[before];
    if (uk !== undefined) {
      return fromEnd(word, 2, [...tails.map((t) => `${before}${t}`), ...uk], "ru: feminine -а, velar stem (Ukrainian к→ц, г→з, х→с before -і)");
    }
    return fromEnd(word, 1, tails, "ru: feminine -а");
  }
  if (RU_VOWELS.includes(last)) return indeclinable(word, "ru: ends in a vowel other than -а/-я: indeclinable");
  if (last === "й") return fromEnd(word, 1, ["я", "ю", "ем", "е", "и", "ев", "ям", "ями", "ях"], "ru: masculine -й");
  if (last === "ь") {
    // Masculine (Дождь → дождя) and feminine (Сеть → сети) soft stems both occur; accept both sets.
    return fromEnd(word, 1, ["я", "ю", "ем", "ём", "е", "и", "ью", "ей", "ям", "ями", "ях"], "ru: soft stem in -ь (masculine and feminine endings)");
  }
  if (last === "ъ") return indeclinable(word, "ru: ends in ъ: as written");
  const plural = RU_VELARS.includes(last) || RU_SIBILANTS.includes(last) ? "и" : "ы";
  const tails = ["", "а", "у", "ом", "е", plural, "ам", "ами", "ах"];
  if (RU_SIBILANTS.includes(last)) tails.push("ем", "ей");
  else if (last === "ц") tails.push("ем", "ев");
  else tails.push("ов");
  return fromEnd(word, 0, tails, "ru: masculine consonant stem");
}

/** Ukrainian dative/locative of -ка/-га/-ха nouns: the consonant alternates before -і (Жабка → Жабці, Прага → Празі). */
const UKRAINIAN: Record<string, string[]> = { к: ["ці"], г: ["зі"], х: ["сі"] };
