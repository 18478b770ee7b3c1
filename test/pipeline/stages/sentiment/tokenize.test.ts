import { describe, expect, test } from "vitest";
import {
  createTokenBuffer,
  KIND_EMOJI,
  KIND_EMOTICON,
  KIND_MARK,
  KIND_NUMBER,
  KIND_SET_PHRASE,
  KIND_URL,
  KIND_USER,
  KIND_WORD,
  MAX_CHARS,
  modelLangOf,
  tokenize,
  type ModelLang,
  type TokenBuffer,
} from "../../../../pipeline/stages/sentiment/tokenize";

const KIND_NAMES: Record<number, string> = {
  [KIND_WORD]: "",
  [KIND_URL]: "URL",
  [KIND_USER]: "USER",
  [KIND_NUMBER]: "NUM",
  [KIND_EMOJI]: "EMOJI:",
  [KIND_EMOTICON]: "FACE:",
  [KIND_MARK]: "MARK:",
  [KIND_SET_PHRASE]: "SET:",
};

/** Tokens as readable strings: the normalised word, "NEG:" when negated, placeholders by kind. */
const read = (text: string, lang: ModelLang): string[] => {
  const b = tokenize(text, lang, createTokenBuffer());
  return shown(b);
};

const shown = (b: TokenBuffer): string[] => {
  const out: string[] = [];
  for (let t = 0; t < b.count; t++) {
    const kind = b.kind[t]!;
    const chars = String.fromCharCode(...b.chars.subarray(b.charStart[t]!, b.charEnd[t]!));
    const surface = b.text.slice(b.start[t], b.end[t]);
    const body = kind === KIND_WORD || kind === KIND_SET_PHRASE || kind === KIND_EMOJI ? chars : kind === KIND_EMOTICON || kind === KIND_MARK ? surface : "";
    out.push(`${b.negated[t] ? "NEG:" : ""}${KIND_NAMES[kind]}${body}`);
  }
  return out;
};

describe("tokenize()", () => {
  test.each<[ModelLang, string, string[]]>([
    ["pl", "Świetna OBSŁUGA, dziękuję", ["swietna", "obsluga", "dziekuje"]],
    ["pl", "swietna obsluga", ["swietna", "obsluga"]],
    ["ru", "Всё ОК, ещё раз", ["все", "ок", "еще", "раз"]],
    ["en", "Don’t GO", ["don't", "NEG:go"]],
    ["en", "sooooo goooood", ["soo", "good"]],
    ["ru", "что-то e-mail", ["что-то", "e-mail"]],
  ])("tokenize() lowercases and normalises in %s: %j", (lang, text, expected) => {
    expect(read(text, lang)).toEqual(expected);
  });

  test.each<[ModelLang, string, string[]]>([
    ["pl", "nie polecam, serio", ["nie", "NEG:polecam", "serio"]],
    ["pl", "nigdy więcej tej firmy", ["nigdy", "NEG:wiecej", "NEG:tej", "NEG:firmy"]],
    ["ru", "не работает уже час. ужас", ["не", "NEG:работает", "NEG:уже", "NEG:час", "ужас"]],
    ["ru", "ни разу не подвели", ["ни", "NEG:разу", "не", "NEG:подвели"]],
    ["en", "not good at all; fine", ["not", "NEG:good", "NEG:at", "NEG:all", "fine"]],
    ["en", "I don't like it", ["i", "don't", "NEG:like", "NEG:it"]],
    ["en", "never ever again, promise", ["never", "NEG:ever", "NEG:again", "promise"]],
  ])("tokenize() marks the words after a negator up to punctuation in %s: %j", (lang, text, expected) => {
    expect(read(text, lang)).toEqual(expected);
  });

  test("tokenize() lets negation reach at most four words", () => {
    expect(read("nie mam już na to siły wcale", "pl")).toEqual(["nie", "NEG:mam", "NEG:juz", "NEG:na", "NEG:to", "sily", "wcale"]);
  });

  test("tokenize() remembers which negator governs a word", () => {
    const b = tokenize("to nie działa", "pl", createTokenBuffer());
    expect(b.negator[2]).toBe(1);
    expect(b.negator[1]).toBe(-1);
  });

  test("tokenize() replaces URLs, handles and numbers and reads hashtags as words", () => {
    expect(read("@lumio_pl see https://lumio.example/a?b=1 and www.x.pl, 99.5% #fail", "en")).toEqual(["USER", "see", "URL", "and", "URL", "NUM", "fail"]);
  });

  test("tokenize() keeps emoji as tokens without skin tones or variation selectors", () => {
    expect(read("super 😍😍 👍🏽 ❤️", "pl")).toEqual(["super", "EMOJI:😍", "EMOJI:😍", "EMOJI:👍", "EMOJI:❤"]);
  });

  test.each<[string, ModelLang, string[]]>([
    ["ok :) fine :-( meh :D", "en", ["ok", "FACE::)", "fine", "FACE::-(", "meh", "FACE::d"]],
    ["love <3", "en", ["love", "FACE:<3"]],
    ["починили)) опять((", "ru", ["починили", "FACE:))", "опять", "FACE:(("]],
    ["спасибо)", "ru", ["спасибо", "FACE:)"]],
    ["hmm :/", "en", ["hmm", "FACE::/"]],
  ])("tokenize() reads emoticons: %j", (text, lang, expected) => {
    expect(read(text, lang)).toEqual(expected);
  });

  test("tokenize() tells a parenthesis from a Russian smile", () => {
    expect(read("Lumio (w biurze) działa", "pl")).toEqual(["lumio", "w", "biurze", "dziala"]);
    expect(read("работает (вроде)", "ru")).toEqual(["работает", "вроде"]);
  });

  test("tokenize() emits a question mark and no exclamation mark", () => {
    expect(read("działa?!", "pl")).toEqual(["dziala", "MARK:?!"]);
    expect(read("działa!!!", "pl")).toEqual(["dziala"]);
  });

  test("tokenize() ends negation at an emoticon", () => {
    expect(read("nie :( działa", "pl")).toEqual(["nie", "FACE::(", "dziala"]);
  });

  test.each<[ModelLang, string, string[]]>([
    ["pl", "Dzień dobry, mam pytanie", ["SET:dzien", "SET:dobry", "mam", "pytanie"]],
    ["ru", "Добрый день, подскажите", ["SET:добрый", "SET:день", "подскажите"]],
    ["en", "good morning all", ["SET:good", "SET:morning", "all"]],
  ])("tokenize() marks greetings that contain a sentiment word in %s", (lang, text, expected) => {
    expect(read(text, lang)).toEqual(expected);
  });

  test("tokenize() keeps the spans of tokens in the lowercased text", () => {
    const b = tokenize("Nie POLECAM!", "pl", createTokenBuffer());
    expect(b.text.slice(b.start[1], b.end[1])).toBe("polecam");
  });

  test("tokenize() reads only the first MAX_CHARS characters", () => {
    const b = tokenize("zły ".repeat(MAX_CHARS), "pl", createTokenBuffer());
    expect(b.count).toBe(MAX_CHARS / 4);
    expect(b.text.length).toBe(MAX_CHARS);
  });

  test("tokenize() reuses its buffer: a second text leaves nothing of the first", () => {
    const b = createTokenBuffer();
    tokenize("nie polecam tego wcale", "pl", b);
    expect(shown(tokenize("ok", "pl", b))).toEqual(["ok"]);
  });

  test("tokenize() skips lone surrogates, replacement characters and control characters", () => {
    expect(read("a\ud800b\ufffd\u0000c", "en")).toEqual(["a", "b", "c"]);
  });

  test("modelLangOf() reads Ukrainian with the Russian model and nothing for und", () => {
    expect(modelLangOf("uk")).toBe("ru");
    expect(modelLangOf("und")).toBeNull();
    expect(modelLangOf("pl")).toBe("pl");
  });
});
