import { execFileSync } from "node:child_process";
import { appendFileSync, copyFileSync, existsSync, mkdirSync, readdirSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { fileImport, fileImportOptions, SETTLE_MS, type FileImportOptions } from "../../../collectors/file-import/file-import";
import { parseImport } from "../../../collectors/file-import/parse";
import { isSourceError, type Cursor, type Page } from "../../../collectors/source";
import { PAYLOADS_DIR, payload } from "../../support/recorded-http";
import { tempDirs } from "../../support/temp-dir";
import { trackedPollContexts } from "../poll-context";

const dirs = tempDirs();
const tracked = trackedPollContexts();

/** The poll's clock (pollContext's default); files are dated relative to it, so nothing depends on the real time. */
const NOW = new Date("2024-05-14T12:00:00Z").getTime();
const SETTLED = new Date(NOW - 60 * 60_000);

const ctx = (now = NOW) => tracked({ now: new Date(now).toISOString() });

function options(dir: string, more: Partial<FileImportOptions> = {}): FileImportOptions {
  return fileImportOptions.parse({ dir, ...more });
}

/** Writes a file as a finished export: modified an hour before the poll. */
function put(dir: string, name: string, content: string | Buffer, mtime = SETTLED): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  utimesSync(path, mtime, mtime);
  return path;
}

function copyFixture(dir: string, name: string): void {
  copyFileSync(join(PAYLOADS_DIR, "file-import", name), join(dir, name));
  utimesSync(join(dir, name), SETTLED, SETTLED);
}

const ids = (page: Page) => page.mentions.map((m) => m.sourceId);
const rows = (n: number, from = 1) => `id;text\n${Array.from({ length: n }, (_, i) => `${from + i};Lumio wiersz ${from + i}`).join("\n")}\n`;

/** Polls until a poll neither returns mentions nor moves the cursor (a poll may read only unreadable lines). */
async function drain(opts: FileImportOptions, cursor: Cursor | null, maxPolls = 50): Promise<{ pages: Page[]; cursor: Cursor | null }> {
  const pages: Page[] = [];
  let at = cursor;
  for (let i = 0; i < maxPolls; i++) {
    const page = await fileImport.poll(opts, at, ctx());
    if (page.mentions.length === 0 && JSON.stringify(page.cursor) === JSON.stringify(at)) return { pages, cursor: at };
    at = page.cursor;
    pages.push(page);
  }
  throw new Error("the folder never ran dry");
}

describe("fileImport.poll()", () => {
  test("poll() imports every matching file on the first poll and nothing on the second", async () => {
    const dir = dirs.make("earshot-watch-");
    for (const f of ["export.jsonl", "mentions-semicolon.csv", "reviews.windows-1251.csv", "excel-unicode.utf-16le.csv", "empty.csv", "header-only.csv"]) copyFixture(dir, f);
    put(dir, "notes.txt", "id;text\n1;not an export\n");
    put(dir, ".upload.csv", "id;text\n1;still uploading\n");

    const c = ctx();
    const first = await fileImport.poll(options(dir), null, c);
    const expected = ["export.jsonl", "mentions-semicolon.csv", "reviews.windows-1251.csv", "excel-unicode.utf-16le.csv"].flatMap(
      (f) => parseImport(payload(`file-import/${f}`), { fileName: f }).mentions,
    );
    expect([...ids(first)].sort()).toEqual(expected.map((m) => m.sourceId).sort());
    expect(first.mentions.every((m) => m.source === "import")).toBe(true);
    expect(JSON.parse(String(first.cursor?.["done"]))).toHaveLength(6);
    expect(first.cursor).toMatchObject({ dir, file: null, offset: null });
    // The malformed JSON line is logged by file and line, without its text.
    const skipped = c.log.lines.filter((l) => l.msg === "line skipped");
    expect(skipped.map((l) => l.obj)).toEqual([{ file: "export.jsonl", line: 4, reason: expect.stringMatching(/^not valid JSON/) }]);
    expect(JSON.stringify(c.log.lines)).not.toContain("Krakowie");

    const second = await fileImport.poll(options(dir), first.cursor, ctx());
    expect(second.mentions).toEqual([]);
    expect(second.cursor).toEqual(first.cursor);
  });

  test("poll() picks up a file added after the last poll and reads no other file again", async () => {
    const dir = dirs.make("earshot-watch-");
    put(dir, "a.csv", rows(3));
    const first = await fileImport.poll(options(dir), null, ctx());
    put(dir, "b.csv", rows(2, 100));
    const second = await fileImport.poll(options(dir), first.cursor, ctx());
    expect(ids(first)).toEqual(["1", "2", "3"]);
    expect(ids(second)).toEqual(["100", "101"]);
  });

  test("poll() leaves a file being written for a later poll: modified just now, or grown since the last poll", async () => {
    const dir = dirs.make("earshot-watch-");
    const path = put(dir, "growing.csv", rows(2), new Date(NOW - 1_000));
    const first = await fileImport.poll(options(dir), null, ctx());
    expect(first.mentions).toEqual([]);
    expect(JSON.parse(String(first.cursor?.["waiting"]))).toEqual([["growing.csv", Buffer.byteLength(rows(2))]]);

    // Settled by its date, but bigger than at the last poll: the writer is not done.
    appendFileSync(path, "3;Lumio wiersz 3\n");
    utimesSync(path, SETTLED, SETTLED);
    const second = await fileImport.poll(options(dir), first.cursor, ctx());
    expect(second.mentions).toEqual([]);

    const third = await fileImport.poll(options(dir), second.cursor, ctx());
    expect(ids(third)).toEqual(["1", "2", "3"]);
    expect(JSON.parse(String(third.cursor?.["waiting"]))).toEqual([]);
    expect(NOW - SETTLED.getTime()).toBeGreaterThan(SETTLE_MS);
  });

  test("poll() refuses a symlink that leads out of the folder, logging it once, and follows one that stays inside", async () => {
    const outside = dirs.make("earshot-outside-");
    const secret = put(outside, "secret.csv", "id;text\n1;private\n");
    const dir = dirs.make("earshot-watch-");
    mkdirSync(join(dir, "archive"));
    put(join(dir, "archive"), "kept.csv", "id;text\n7;Lumio z archiwum\n");
    symlinkSync(secret, join(dir, "escape.csv"));
    symlinkSync(join(dir, "archive", "kept.csv"), join(dir, "inside.csv"));
    symlinkSync("../" + outside.split("/").pop() + "/secret.csv", join(dir, "relative.csv"));

    const c1 = ctx();
    const first = await fileImport.poll(options(dir), null, c1);
    expect(first.mentions.map((m) => m.text)).toEqual(["Lumio z archiwum"]);
    const refused = c1.log.lines.filter((l) => l.msg === "file refused").map((l) => l.obj);
    expect(refused).toEqual(
      expect.arrayContaining([
        { file: "escape.csv", reason: "a symlink to a file outside the folder" },
        { file: "relative.csv", reason: "a symlink to a file outside the folder" },
      ]),
    );

    const c2 = ctx();
    const second = await fileImport.poll(options(dir), first.cursor, c2);
    expect(second.mentions).toEqual([]);
    expect(c2.log.lines.filter((l) => l.msg === "file refused")).toEqual([]);
  });

  test("poll() refuses a FIFO without blocking on it", async () => {
    const dir = dirs.make("earshot-watch-");
    execFileSync("mkfifo", [join(dir, "pipe.csv")]);
    put(dir, "a.csv", rows(1));
    const c = ctx();
    const page = await fileImport.poll(options(dir), null, c);
    expect(ids(page)).toEqual(["1"]);
    expect(c.log.lines.find((l) => l.msg === "file refused")?.obj).toEqual({ file: "pipe.csv", reason: "not a regular file (a FIFO, socket or device)" });
  });

  test("poll() stops at maxPerPoll mid-file and the next polls resume exactly where it stopped", async () => {
    const dir = dirs.make("earshot-watch-");
    put(dir, "a.csv", rows(25), new Date(NOW - 3 * 60 * 60_000));
    put(dir, "b.csv", rows(3, 100));
    const opts = options(dir, { maxPerPoll: 10 });
    const first = await fileImport.poll(opts, null, ctx());
    expect(ids(first)).toEqual(Array.from({ length: 10 }, (_, i) => String(i + 1)));
    expect(first.cursor).toMatchObject({ file: "a.csv", line: 12 });
    expect(first.cursor?.["offset"]).toBe(Buffer.byteLength(rows(10)));

    const second = await fileImport.poll(opts, first.cursor, ctx());
    expect(ids(second)).toEqual(Array.from({ length: 10 }, (_, i) => String(i + 11)));
    // The last 5 rows of a.csv, then b.csv in the same poll while the budget lasts.
    const third = await fileImport.poll(opts, second.cursor, ctx());
    expect(ids(third)).toEqual(["21", "22", "23", "24", "25", "100", "101", "102"]);
    expect(third.cursor).toMatchObject({ file: null, offset: null });
    expect((await fileImport.poll(opts, third.cursor, ctx())).mentions).toEqual([]);
  });

  test.for([["reviews.windows-1251.csv"], ["excel-unicode.utf-16le.csv"], ["mentions-semicolon.csv"], ["export.jsonl"]])(
    "poll() resumes %s one record per poll and ends with exactly the file's mentions",
    async ([file]) => {
      const dir = dirs.make("earshot-watch-");
      copyFixture(dir, file as string);
      const { pages } = await drain(options(dir, { maxPerPoll: 1 }), null);
      const whole = parseImport(payload(`file-import/${file}`), { fileName: file as string });
      expect(pages.flatMap((p) => p.mentions)).toEqual(whole.mentions);
    },
  );

  test("poll() reads a file again from its start when it changed after it was imported", async () => {
    const dir = dirs.make("earshot-watch-");
    const path = put(dir, "a.csv", rows(2));
    const first = await fileImport.poll(options(dir), null, ctx());
    appendFileSync(path, "3;Lumio wiersz 3\n");
    utimesSync(path, SETTLED, new Date(SETTLED.getTime() + 1_000));
    const second = await fileImport.poll(options(dir), first.cursor, ctx());
    // The same rows come back with the same ids, so the store keeps one copy of each.
    expect(ids(second)).toEqual(["1", "2", "3"]);
  });

  test("poll() moves a file into moveTo on the poll after it was read, never before", async () => {
    const dir = dirs.make("earshot-watch-");
    put(dir, "a.csv", rows(2));
    mkdirSync(join(dir, "done"));
    writeFileSync(join(dir, "done", "a.csv"), "an earlier file of the same name");
    const opts = options(dir, { moveTo: "done" });
    const first = await fileImport.poll(opts, null, ctx());
    expect(ids(first)).toEqual(["1", "2"]);
    expect(existsSync(join(dir, "a.csv"))).toBe(true);

    const c = ctx();
    const second = await fileImport.poll(opts, first.cursor, c);
    expect(second.mentions).toEqual([]);
    expect(existsSync(join(dir, "a.csv"))).toBe(false);
    expect(readdirSync(join(dir, "done")).sort()).toEqual(["a-2.csv", "a.csv"]);
    expect(c.log.lines.find((l) => l.msg === "imported file moved")?.obj).toEqual({ file: "a.csv", movedTo: join(dir, "done", "a-2.csv") });
    expect(JSON.parse(String(second.cursor?.["done"]))).toEqual([]);
  });

  test("poll() refuses a file in an unsupported encoding once and reads the others", async () => {
    const dir = dirs.make("earshot-watch-");
    put(dir, "a.csv", rows(1));
    const c = ctx();
    const page = await fileImport.poll(options(dir, { encoding: "utf-32" }), null, c);
    expect(page.mentions).toEqual([]);
    expect(c.log.lines.find((l) => l.msg === "file refused")?.obj).toMatchObject({ file: "a.csv", reason: expect.stringMatching(/not supported/) });
    expect(JSON.parse(String(page.cursor?.["refused"]))).toHaveLength(1);

    const again = ctx();
    await fileImport.poll(options(dir, { encoding: "utf-32" }), page.cursor, again);
    expect(again.log.lines.filter((l) => l.msg === "file refused")).toEqual([]);
  });

  test("poll() reads a file dated in the future once its size held for one poll", async () => {
    const dir = dirs.make("earshot-watch-");
    put(dir, "a.csv", rows(2), new Date(NOW + 24 * 60 * 60_000));
    const first = await fileImport.poll(options(dir), null, ctx());
    expect(first.mentions).toEqual([]);
    const second = await fileImport.poll(options(dir), first.cursor, ctx());
    expect(ids(second)).toEqual(["1", "2"]);
  });

  test("poll() refuses a moveTo that is the watched folder itself", async () => {
    const dir = dirs.make("earshot-watch-");
    const err = await fileImport.poll(options(dir, { moveTo: "." }), null, ctx()).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ name: "SourceError", retryable: false, message: expect.stringMatching(/watched folder itself/) });
  });

  test("poll() throws a retryable SourceError when the folder cannot be read", async () => {
    const dir = dirs.make("earshot-watch-");
    const err = await fileImport.poll(options(join(dir, "missing")), null, ctx()).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isSourceError(err)).toBe(true);
    expect(err).toMatchObject({ retryable: true, source: "file-import", message: expect.stringMatching(/cannot read the folder .*missing: ENOENT/) });
  });

  test("poll() ignores a cursor that belongs to another folder", async () => {
    const a = dirs.make("earshot-watch-");
    const b = dirs.make("earshot-watch-");
    put(a, "x.csv", rows(1));
    put(b, "x.csv", rows(1));
    const first = await fileImport.poll(options(a), null, ctx());
    const other = await fileImport.poll(options(b), first.cursor, ctx());
    expect(ids(other)).toEqual(["1"]);
    expect(other.cursor?.["dir"]).toBe(b);
  });

  test("poll() throws a retryable SourceError when aborted", async () => {
    const dir = dirs.make("earshot-watch-");
    put(dir, "a.csv", rows(10));
    const c = ctx();
    const controller = new AbortController();
    controller.abort(new Error("poll took longer than 120000 ms"));
    const err = await fileImport.poll(options(dir), null, { ...c, signal: controller.signal }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ name: "SourceError", retryable: true, message: expect.stringMatching(/aborted/) });
  });
});

describe("fileImportOptions", () => {
  test("fileImportOptions applies defaults and keeps the optional fields out", () => {
    expect(fileImportOptions.parse({ dir: "/data/imports" })).toEqual({ dir: "/data/imports", maxPerPoll: 5_000 });
  });

  test.for([
    [{ dir: "" }, "dir"],
    [{ dir: "/x", pattern: "sub/*.csv" }, "pattern"],
    [{ dir: "/x", pattern: "*.{csv" }, "pattern"],
    [{ dir: "/x", maxPerPoll: 0 }, "maxPerPoll"],
    [{ dir: "/x", url: "https://example.com" }, ""],
  ] as const)("fileImportOptions refuses %j", ([input, path]) => {
    const result = fileImportOptions.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join("."))).toContain(path);
  });
});
