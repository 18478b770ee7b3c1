import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import iconv from "iconv-lite";
import { describe, expect, test } from "vitest";
import { isImportFileError, type ImportFileError } from "../../../collectors/file-import/import-file-error";
import { parseImport, type ImportBatch } from "../../../collectors/file-import/parse";
import { readImportFile } from "../../../collectors/file-import/read-import-file";
import { PAYLOADS_DIR, payload } from "../../support/recorded-http";
import { tempDirs } from "../../support/temp-dir";
import { rejection } from "../rejection";

const dirs = tempDirs();

async function collect(batches: AsyncIterable<ImportBatch>): Promise<ImportBatch[]> {
  const out: ImportBatch[] = [];
  for await (const batch of batches) out.push(batch);
  return out;
}

const importError = (promise: Promise<unknown>): Promise<ImportFileError> => rejection(promise, isImportFileError, "an ImportFileError");

/** A CSV export of `rows` Russian rows in windows-1251, with a multi-line field every 7th row. */
function bigCsv(rows: number): Buffer {
  const lines = ["id;text;date;likes"];
  for (let i = 1; i <= rows; i++) {
    const text = i % 7 === 0 ? `"Люмио, строка ${i};\nвторая строка"` : `Люмио не работает, строка ${i}`;
    lines.push(`${i};${text};2024-05-14T${String(i % 24).padStart(2, "0")}:00:00Z;${i % 100}`);
  }
  return iconv.encode(`${lines.join("\r\n")}\r\n`, "windows-1251");
}

describe("readImportFile()", () => {
  test("readImportFile() yields the file's mentions and problems in batches of the given size", async () => {
    const path = join(PAYLOADS_DIR, "file-import/export.jsonl");
    const batches = await collect(readImportFile(path, { batchSize: 3 }));
    expect(batches.map((b) => b.mentions.length + b.problems.length)).toEqual([3, 3, 2]);
    const whole = parseImport(payload("file-import/export.jsonl"), { fileName: "export.jsonl" });
    expect(batches.flatMap((b) => b.mentions)).toEqual(whole.mentions);
    expect(batches.flatMap((b) => b.problems)).toEqual([{ line: 4, reason: expect.stringMatching(/^not valid JSON/) }]);
  });

  test("readImportFile() streams a large windows-1251 CSV in batches of 1,000 with every row intact", async () => {
    const dir = dirs.make("earshot-import-");
    const path = join(dir, "historic.csv");
    const bytes = bigCsv(25_000);
    writeFileSync(path, bytes);
    expect(bytes.length).toBeGreaterThan(16 * 64 * 1024); // many read chunks, records cut across them
    const batches = await collect(readImportFile(path));
    expect(batches).toHaveLength(25);
    expect(batches.every((b) => b.mentions.length === 1_000 && b.problems.length === 0)).toBe(true);
    const mentions = batches.flatMap((b) => b.mentions);
    expect(mentions.map((m) => m.sourceId)).toEqual(Array.from({ length: 25_000 }, (_, i) => String(i + 1)));
    expect(mentions[6]?.text).toBe("Люмио, строка 7;\nвторая строка");
    expect(mentions[24_999]).toMatchObject({ text: "Люмио не работает, строка 25000", publishedAt: "2024-05-14T16:00:00.000Z", engagement: { likes: 0 } });
  });

  test("readImportFile() yields nothing for an empty file and a file with only a header", async () => {
    expect(await collect(readImportFile(join(PAYLOADS_DIR, "file-import/empty.csv")))).toEqual([]);
    expect(await collect(readImportFile(join(PAYLOADS_DIR, "file-import/header-only.csv")))).toEqual([]);
  });

  test("readImportFile() takes the format and encoding it is given over its guesses", async () => {
    const dir = dirs.make("earshot-import-");
    const path = join(dir, "export.dat");
    writeFileSync(path, iconv.encode("id;text\n1;Świetna obsługa\n", "iso-8859-2"));
    const [batch] = await collect(readImportFile(path, { format: "csv", encoding: "iso-8859-2" }));
    expect(batch?.mentions.map((m) => m.text)).toEqual(["Świetna obsługa"]);
  });

  test("readImportFile() reports a line that is not UTF-8 in a file read as UTF-8 by its number, declared or detected, and keeps the others", async () => {
    const dir = dirs.make("earshot-import-");
    const declared = join(dir, "declared.jsonl");
    writeFileSync(declared, Buffer.concat([Buffer.from('{"id":"1","text":"Lumio ok"}\n'), iconv.encode('{"id":"2","text":"Lumio zażółć"}\n', "windows-1250")]));
    const [a] = await collect(readImportFile(declared, { encoding: "utf-8" }));
    expect(a?.mentions.map((m) => m.text)).toEqual(["Lumio ok"]);
    expect(a?.problems).toEqual([{ line: 2, reason: expect.stringMatching(/^not valid UTF-8 \(the file is read as UTF-8 as declared\); the line was skipped: set the file's encoding/) }]);

    // Valid UTF-8 for longer than the charset is judged on, then a line from another export.
    const detected = join(dir, "detected.csv");
    const good = Array.from({ length: 12_000 }, (_, i) => `${i + 1};Lumio działa dobrze, wiersz numer ${i + 1} ${"ż".repeat(40)}`);
    writeFileSync(detected, Buffer.concat([Buffer.from(`id;text\r\n${good.join("\r\n")}\r\n`), iconv.encode("x1;Lumio не работает\r\nx2;Lumio ok\r\n", "windows-1251")]));
    const batches = await collect(readImportFile(detected, { batchSize: 100_000 }));
    expect(batches.flatMap((b) => b.mentions)).toHaveLength(12_001);
    expect(batches.flatMap((b) => b.problems)).toEqual([{ line: 12_002, reason: expect.stringContaining("not valid UTF-8 (the file is read as UTF-8 by its first bytes)") }]);
  });

  test("readImportFile() reads a BOM and CRLF line ends, and reports a 5 MB line and a truncated last line by number, keeping the lines between", async () => {
    const dir = dirs.make("earshot-import-");
    const jsonl = join(dir, "export.jsonl");
    writeFileSync(jsonl, `\uFEFF{"id":"1","text":"Lumio a"}\r\n{"id":"2","text":"${"x".repeat(5 << 20)}"}\r\n{"id":"3","text":"Lumio c"}\r\n{"id":"4","text":"Lumio tru`);
    const [j] = await collect(readImportFile(jsonl));
    expect(j?.mentions.map((m) => [m.sourceId, m.text])).toEqual([["1", "Lumio a"], ["3", "Lumio c"]]);
    expect(j?.problems).toEqual([
      { line: 2, reason: "longer than 1048576 bytes; skipped" },
      { line: 4, reason: "not valid JSON (near character 28)" },
    ]);

    const csv = join(dir, "export.csv");
    writeFileSync(csv, `\uFEFFid;text\r\n1;Lumio a\r\n2;${"x".repeat(5 << 20)}\r\n3;"Lumio\r\nc"\r\n4;"Lumio tru`);
    const [c] = await collect(readImportFile(csv));
    expect(c?.mentions.map((m) => [m.sourceId, m.text])).toEqual([["1", "Lumio a"], ["3", "Lumio\r\nc"]]);
    expect(c?.problems).toEqual([
      { line: 3, reason: "longer than 1048576 bytes; skipped" },
      { line: 6, reason: "a quoted field is not closed (a stray quote?); the line was skipped" },
    ]);
  });

  test("readImportFile() refuses a missing file, a folder, a FIFO and an unsupported encoding with ImportFileError", async () => {
    const dir = dirs.make("earshot-import-");
    expect((await importError(collect(readImportFile(join(dir, "missing.csv"))))).message).toMatch(/missing\.csv: cannot open: ENOENT/);
    mkdirSync(join(dir, "folder.csv"));
    expect((await importError(collect(readImportFile(join(dir, "folder.csv"))))).message).toMatch(/not a regular file/);
    execFileSync("mkfifo", [join(dir, "pipe.csv")]);
    expect((await importError(collect(readImportFile(join(dir, "pipe.csv"))))).message).toMatch(/not a regular file/);
    writeFileSync(join(dir, "a.csv"), "id;text\n1;a\n");
    expect((await importError(collect(readImportFile(join(dir, "a.csv"), { encoding: "utf-32" })))).message).toMatch(/not supported/);
  });

  test("readImportFile() stops with the signal's reason when aborted between batches", async () => {
    const dir = dirs.make("earshot-import-");
    const path = join(dir, "historic.csv");
    writeFileSync(path, bigCsv(5_000));
    const controller = new AbortController();
    const seen: number[] = [];
    const run = (async () => {
      for await (const batch of readImportFile(path, { signal: controller.signal, batchSize: 500 })) {
        seen.push(batch.mentions.length);
        controller.abort(new Error("import cancelled"));
      }
    })();
    await expect(run).rejects.toThrow("import cancelled");
    expect(seen.length).toBeLessThan(10);
  });
});
