/**
 * How one letter of a term becomes a piece of regular expression, under the
 * three diacritic modes. Kept apart from the rest so the choice lives in one place.
 */

/**
 * - `ascii-too` (default): a letter written with a diacritic also accepts its
 *   plain spelling ("Żabka" finds "Zabka", "ё" finds "е"), because people type
 *   without Polish letters and Russians rarely type ё; a plain letter stays plain
 *   ("Zabka" as a term does not find "Ząbka").
 * - `strict`: letters only match themselves.
 * - `ignore`: diacritics never matter in either direction ("Zabka" finds "Żabka").
 */
export type DiacriticMode = "ascii-too" | "strict" | "ignore";
export const DIACRITIC_MODES: readonly DiacriticMode[] = ["ascii-too", "strict", "ignore"];

/** Letters whose plain form is not what NFD decomposition gives (ł has no combining mark). */
const SPECIAL_BASE: Record<string, string> = { ł: "l", Ł: "L", ø: "o", Ø: "O", đ: "d", Đ: "D", ß: "ss", ё: "е", Ё: "Е", й: "й", Й: "Й" };

const COMBINING = /\p{M}+/gu;

/** The plain spelling of one letter: "ż" → "z", "ł" → "l", "ё" → "е"; other letters stay. */
export function plainLetter(ch: string): string {
  const special = SPECIAL_BASE[ch];
  if (special !== undefined) return special;
  const base = ch.normalize("NFD").replace(COMBINING, "");
  return base.length === 1 ? base : ch;
}

/** Letters with diacritics that `ignore` mode offers for a plain letter (Polish first, then other Latin, then ё). */
const ACCENTED = "ąćęłńóśźżáàâäãåéèêëíìîïòôöõúùûüýÿçñšžčřěůőűё";
const VARIANTS = new Map<string, string[]>();
for (const ch of ACCENTED) {
  const base = plainLetter(ch);
  const list = VARIANTS.get(base) ?? [];
  list.push(ch);
  VARIANTS.set(base, list);
}

const REGEX_SPECIAL = /[.*+?^${}()|[\]\\/]/g; // "-" is not escapable in u-mode outside a class

/** A piece of regex matching one character of a term under `mode`. */
export function letterSource(ch: string, mode: DiacriticMode): string {
  if (mode !== "strict") {
    const base = plainLetter(ch);
    if (base !== ch) {
      if (mode === "ignore") return classOf([base, ...(VARIANTS.get(base.toLowerCase()) ?? []).map((v) => sameCase(v, base))]);
      return classOf([ch, base]);
    }
    if (mode === "ignore") {
      const variants = VARIANTS.get(ch.toLowerCase());
      if (variants !== undefined) return classOf([ch, ...variants.map((v) => sameCase(v, ch))]);
    }
  }
  return ch.replace(REGEX_SPECIAL, "\\$&");
}

/** A regex piece for a whole string, letter by letter. */
export function stringSource(s: string, mode: DiacriticMode): string {
  let out = "";
  for (const ch of s) out += letterSource(ch, mode);
  return out;
}

const sameCase = (variant: string, like: string): string => (like === like.toUpperCase() && like !== like.toLowerCase() ? variant.toUpperCase() : variant);

function classOf(chars: string[]): string {
  const unique = [...new Set(chars)].filter((c) => [...c].length === 1);
  if (unique.length === 1) return unique[0]!.replace(REGEX_SPECIAL, "\\$&");
  // ß's plain form is two letters; offer it as an alternative instead of a class member.
  const multi = [...new Set(chars)].filter((c) => [...c].length > 1);
  const cls = `[${unique.map((c) => c.replace(/[\]\\^-]/g, "\\$&")).join("")}]`;
  return multi.length === 0 ? cls : `(?:${cls}|${multi.join("|")})`;
}
