import iconv from "iconv-lite";
import { describe, expect, test } from "vitest";
import { decodeText, detectCharset, normalizeCharset } from "../../collectors/decode-text";

const RUSSIAN = "Люмио: ужасный сервис, ещё и «компенсация» смешная";
const POLISH = "Lumio: świetna obsługa, polecam! Zażółć gęślą jaźń";
const xml = (encoding: string, body: string) => `<?xml version="1.0" encoding="${encoding}"?><rss><channel><title>${body}</title></channel></rss>`;

describe("detectCharset()", () => {
  test("detectCharset() prefers a BOM over the header and the prolog", () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml("windows-1251", RUSSIAN))]);
    expect(detectCharset(bytes, "text/xml; charset=koi8-r")).toEqual({ charset: "utf-8", from: "bom" });
  });

  test("detectCharset() prefers the Content-Type charset over the XML prolog", () => {
    const bytes = iconv.encode(xml("iso-8859-2", RUSSIAN), "koi8-r");
    expect(detectCharset(bytes, "application/rss+xml; charset=KOI8-R")).toEqual({ charset: "koi8-r", from: "header" });
  });

  test("detectCharset() reads the XML prolog when the header names no charset", () => {
    const bytes = iconv.encode(xml("ISO-8859-2", POLISH), "iso-8859-2");
    expect(detectCharset(bytes, "application/xml")).toEqual({ charset: "iso-8859-2", from: "xml-prolog" });
  });

  test("detectCharset() skips a header charset it does not know", () => {
    const bytes = iconv.encode(xml("windows-1251", RUSSIAN), "windows-1251");
    expect(detectCharset(bytes, "text/xml; charset=x-made-up")).toEqual({ charset: "windows-1251", from: "xml-prolog" });
  });

  test("detectCharset() ignores a UTF-16 claim in a prolog that reads as single bytes", () => {
    expect(detectCharset(Buffer.from(xml("UTF-16", "plain")), undefined)).toEqual({ charset: "utf-8", from: "default" });
  });

  test("detectCharset() recognises UTF-16 without a BOM by the shape of \"<?\"", () => {
    expect(detectCharset(iconv.encode(xml("UTF-16", RUSSIAN), "utf-16le")).charset).toBe("utf-16le");
    expect(detectCharset(iconv.encode(xml("UTF-16", RUSSIAN), "utf-16be")).charset).toBe("utf-16be");
  });

  test("detectCharset() reads <meta http-equiv> in HTML", () => {
    const html = `<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1250"></head><body>${POLISH}</body></html>`;
    expect(detectCharset(iconv.encode(html, "windows-1250"), "text/html")).toEqual({ charset: "windows-1250", from: "html-meta" });
  });

  test("detectCharset() falls back to UTF-8", () => {
    expect(detectCharset(Buffer.from("{\"items\":[]}"), "application/json")).toEqual({ charset: "utf-8", from: "default" });
  });
});

describe("decodeText()", () => {
  test.for([
    ["windows-1251", RUSSIAN],
    ["koi8-r", RUSSIAN.replace(/[«»]/g, '"')], // KOI8-R has no guillemets
    ["iso-8859-2", POLISH],
    ["windows-1250", POLISH],
  ])("decodeText() round-trips %s text named in the prolog", ([charset, text]) => {
    const source = xml(charset, text);
    expect(decodeText(iconv.encode(source, charset), "text/xml").text).toBe(source);
  });

  test("decodeText() strips a UTF-8 BOM", () => {
    expect(decodeText(Buffer.from("\uFEFF<rss/>", "utf8")).text).toBe("<rss/>");
  });

  test("decodeText() reads ISO-8859-1 labels as windows-1252, as browsers do", () => {
    const bytes = Buffer.from([0x93, 0x71, 0x94]); // curly-quoted q in windows-1252
    expect(decodeText(bytes, "text/plain; charset=iso-8859-1").text).toBe("\u201Cq\u201D");
  });
});

describe("normalizeCharset()", () => {
  test("normalizeCharset() accepts quoted and upper-case labels and refuses unknown ones", () => {
    expect(normalizeCharset('"WINDOWS-1251"')).toBe("windows-1251");
    expect(normalizeCharset("cp1251")).toBe("cp1251");
    expect(normalizeCharset("no-such-charset")).toBeNull();
    expect(normalizeCharset("")).toBeNull();
  });
});
