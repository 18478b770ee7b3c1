import iconv from "iconv-lite";
import { describe, expect, test } from "vitest";
import { detectImportCharset, UnsupportedCharsetError } from "../../../collectors/file-import/import-charset";

const bytes = (text: string, charset: string, addBOM = false) => iconv.encode(text, charset, { addBOM });

describe("detectImportCharset()", () => {
  test.for([
    ["UTF-8 with a BOM", bytes("id;text\n1;Łódź", "utf-8", true), "utf-8", "bom", 1],
    ["UTF-16LE with a BOM", bytes("id;text", "utf-16le", true), "utf-16le", "bom", 2],
    ["UTF-16BE with a BOM", bytes("id;text", "utf-16be", true), "utf-16be", "bom", 2],
    ["UTF-16LE without a BOM", bytes("id;text\n1;Люмио", "utf-16le"), "utf-16le", "nul-bytes", 2],
    ["UTF-16BE without a BOM", bytes("id;text\n1;Люмио", "utf-16be"), "utf-16be", "nul-bytes", 2],
    ["plain ASCII", bytes("id;text\n1;ok", "utf-8"), "utf-8", "utf-8", 1],
    ["UTF-8 Polish and Russian", bytes("Łódź; Люмио", "utf-8"), "utf-8", "utf-8", 1],
    ["windows-1251 Russian", bytes("Сбой сети Люмио, абоненты без связи", "windows-1251"), "windows-1251", "cyrillic-bytes", 1],
    ["windows-1250 Polish", bytes("Awaria sieci, tysiące klientów bez łącza; żółć", "windows-1250"), "windows-1250", "latin-bytes", 1],
    ["windows-1250 with one accented letter", bytes("Dobra obsługa", "windows-1250"), "windows-1250", "latin-bytes", 1],
  ] as const)("detectImportCharset() reads %s", ([, head, charset, from, unit]) => {
    expect(detectImportCharset(head, true)).toMatchObject({ charset, from, unit });
  });

  test("detectImportCharset() does not count a UTF-8 character cut by the end of the sniffed bytes against UTF-8", () => {
    const text = bytes("awaria Łódź", "utf-8");
    const cut = text.subarray(0, text.length - 1); // "ź" is two bytes; only the first is left
    expect(detectImportCharset(cut, false).charset).toBe("utf-8");
    expect(detectImportCharset(cut, true).charset).not.toBe("utf-8");
  });

  test("detectImportCharset() takes a declared charset over any guess, and finds UTF-16's byte order itself", () => {
    expect(detectImportCharset(bytes("Łódź", "utf-8"), true, "ISO-8859-2")).toMatchObject({ charset: "iso-8859-2", from: "declared", unit: 1 });
    expect(detectImportCharset(bytes("id;text", "utf-16be"), true, "UTF-16")).toMatchObject({ charset: "utf-16be", unit: 2, littleEndian: false });
    expect(detectImportCharset(bytes("id;text", "utf-16le"), true, "utf-16")).toMatchObject({ charset: "utf-16le", unit: 2, littleEndian: true });
  });

  test.for([["no-such-charset", /unknown encoding/], ["UTF-32", /not supported/]])("detectImportCharset() refuses %s", ([label, message]) => {
    expect(() => detectImportCharset(new Uint8Array(0), true, label as string)).toThrow(UnsupportedCharsetError);
    expect(() => detectImportCharset(new Uint8Array(0), true, label as string)).toThrow(message as RegExp);
  });
});
