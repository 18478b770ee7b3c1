/**
 * Splits lower-cased text into words and the breaks between them, in one loop
 * over the characters (a Unicode-property regex costs several times more per
 * text, and this runs on every mention).
 *
 * - A word is a run of letters, marks and digits, with inner apostrophes kept
 *   ("doesn't", "зв'язок"); ’ and ʼ are expected to be folded to ' beforehand.
 * - A sentence ends at . ! ? ; … and new lines.
 * - A clause also ends at , : ( ) [ ] " « » „ ” – — and a hyphen between spaces.
 * - A currency sign is a word of its own ("£20" is "£", "20"), so "£" can be a term.
 * Everything else (spaces, emoji, other symbols) only separates words.
 */
export interface SplitText {
  words: string[];
  /** Offsets of each word in the text: [start, end). */
  starts: number[];
  ends: number[];
  /** 2: a sentence ends before this word; 1: a clause ends before it; 0: neither. */
  breakBefore: number[];
}

const OTHER_WORD_CHAR = /^[\p{L}\p{M}\p{N}]$/u;

/** Letters, marks and digits; Latin, Latin Extended and Cyrillic without the regex. */
function isWordCode(c: number): boolean {
  if (c < 0x80) return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90);
  if (c >= 0xc0 && c <= 0x24f) return c !== 0xd7 && c !== 0xf7;
  if (c >= 0x400 && c <= 0x52f) return c < 0x482 || c > 0x489; // Cyrillic, minus its signs
  if (c < 0xc0) return c === 0xaa || c === 0xb5 || c === 0xba || c === 0xb2 || c === 0xb3 || c === 0xb9 || (c >= 0xbc && c <= 0xbe);
  if (c >= 0xd800 && c <= 0xdfff) return false; // surrogate halves: handled by the caller with the code point
  return OTHER_WORD_CHAR.test(String.fromCharCode(c));
}

/** $ £ ¥ € ₽ ₴ and the rest of the currency block. */
const isCurrencySign = (c: number): boolean => c === 0x24 || (c >= 0xa2 && c <= 0xa5) || (c >= 0x20a0 && c <= 0x20c0);

function isWordAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff) {
    const cp = text.codePointAt(i)!;
    return cp > 0xffff && OTHER_WORD_CHAR.test(String.fromCodePoint(cp)) ? 2 : 0;
  }
  return isWordCode(c) ? 1 : 0;
}

function breakOf(text: string, i: number, c: number): number {
  switch (c) {
    case 0x2e: // .
    case 0x21: // !
    case 0x3f: // ?
    case 0x3b: // ;
    case 0x2026: // …
    case 0x0a: // \n
      return 2;
    case 0x2c: // ,
    case 0x3a: // :
    case 0x28: // (
    case 0x29: // )
    case 0x5b: // [
    case 0x5d: // ]
    case 0x22: // "
    case 0xab: // «
    case 0xbb: // »
    case 0x201e: // „
    case 0x201d: // ”
    case 0x2013: // –
    case 0x2014: // —
      return 1;
    case 0x2d: // - between spaces
      return i > 0 && text.charCodeAt(i - 1) === 0x20 && text.charCodeAt(i + 1) === 0x20 ? 1 : 0;
    default:
      return 0;
  }
}

export function splitWords(text: string): SplitText {
  const words: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const breakBefore: number[] = [];
  let pending = 0;
  const n = text.length;
  let i = 0;
  while (i < n) {
    let step = isWordAt(text, i);
    if (step === 0 && isCurrencySign(text.charCodeAt(i))) {
      words.push(text[i]!);
      starts.push(i);
      ends.push(i + 1);
      breakBefore.push(pending);
      pending = 0;
      i++;
      continue;
    }
    if (step === 0) {
      const b = breakOf(text, i, text.charCodeAt(i));
      if (b > pending) pending = b;
      i++;
      continue;
    }
    const start = i;
    while (step > 0) {
      i += step;
      if (i >= n) break;
      step = isWordAt(text, i);
      // An apostrophe inside a word keeps it whole: "doesn't", "зв'язок".
      if (step === 0 && text.charCodeAt(i) === 0x27 && i + 1 < n && isWordAt(text, i + 1) > 0) step = 1;
    }
    words.push(text.slice(start, i));
    starts.push(start);
    ends.push(i);
    breakBefore.push(pending);
    pending = 0;
  }
  return { words, starts, ends, breakBefore };
}
