import { fc, test as prop } from "@fast-check/vitest";
import iconv from "iconv-lite";
import { describe, expect, test } from "vitest";
import { detectImportCharset } from "../../../collectors/file-import/import-charset";
import { countOf, toImportDate } from "../../../collectors/file-import/map-record";
import { ImportParser, parseImport, sniffDelimiter, type ImportFormat, type ImportItem } from "../../../collectors/file-import/parse";
import { payload } from "../../support/recorded-http";
import { visible } from "../parsed";

const fixture = (name: string) => payload(`file-import/${name}`);

function parseAll(bytes: Uint8Array, format: ImportFormat, chunks: number[] = [], maxRecordBytes?: number): ImportItem[] {
  const charset = detectImportCharset(bytes, true);
  const parser = new ImportParser({ format, charset, ...(maxRecordBytes === undefined ? {} : { maxRecordBytes }) });
  const items: ImportItem[] = [];
  let at = 0;
  for (const cut of [...chunks.filter((c) => c > 0 && c < bytes.length)].sort((a, b) => a - b)) {
    items.push(...parser.push(bytes.slice(at, cut)));
    at = cut;
  }
  items.push(...parser.push(bytes.slice(at)), ...parser.end());
  return items;
}

describe("parseImport() JSON Lines", () => {
  const { mentions, problems } = parseImport(fixture("export.jsonl"), { fileName: "export.jsonl" });

  test("parseImport() maps an export's common field names, nested author and engagement, in pl/ru/en", () => {
    expect(mentions.map(visible)).toEqual([
      {
        source: "import",
        sourceId: "twitter:1790000000000000001",
        url: "https://x.com/anna_n/status/1790000000000000001",
        author: { handle: "anna_n", name: "Anna Nowak", followers: 1520 },
        text: "Lumio znowu nie działa, trzeci dzień bez internetu. Masakra!",
        publishedAt: "2024-05-14T07:12:00.000Z",
        lang: "pl",
        engagement: { likes: 12, shares: 3, replies: 4 },
      },
      {
        source: "import",
        sourceId: "vk:5521",
        url: "https://vk.com/wall-1_5521",
        author: { handle: "olga_s", name: "Ольга Смирнова", followers: 2340 },
        text: "Люмио опять без связи, поддержка не отвечает.",
        publishedAt: "2024-05-14T07:05:00.000Z",
        lang: "ru",
      },
      {
        source: "import",
        sourceId: "review-77",
        url: "https://reviews.example.com/lumio/77",
        title: "Great router, noisy fan",
        text: "Fast and stable, but the fan is loud at night.",
        publishedAt: "2024-05-14T07:00:00.000Z",
        lang: "en",
        rating: 4,
      },
      {
        source: "import",
        sourceId: "forum:forum-9",
        html: "<p>Lumio <b>przeprasza</b> za awarię</p><script>alert('x')</script>",
        publishedAt: "2024-05-14T08:00:00.000Z",
      },
      {
        source: "import",
        sourceId: expect.stringMatching(/^h:[0-9a-f]{24}$/),
        author: { name: "Paweł Wójcik" },
        text: "Lumio obniżyło ceny, polecam.",
        publishedAt: "2024-05-14T09:30:00.000Z",
      },
      {
        source: "import",
        sourceId: "facebook:31",
        text: "Когда вернут интернет? Lumio, ответьте!",
        publishedAt: "2024-05-14T09:40:00.000Z",
        engagement: { likes: 1200, views: 15000 },
      },
      {
        source: "import",
        sourceId: "facebook:32",
        text: "Lumio support fixed it in ten minutes, thanks",
        publishedAt: "2024-05-14T11:20:00.000Z",
        lang: "en",
      },
    ]);
  });

  test("parseImport() reports the malformed line by number and reads every line after it", () => {
    expect(problems).toEqual([{ line: 4, reason: expect.stringMatching(/^not valid JSON/) }]);
    // The reason never quotes the line: it may be a private post.
    expect(problems[0]?.reason).not.toContain("Krakowie");
  });

  test("parseImport() reports by line a record with no visible text or an id too long, and keeps the lines around them", () => {
    const lines = [
      { id: "1", text: "Lumio ok" },
      { id: "2", text: "\u0000\u200B \u202E" },
      { id: "y".repeat(500), text: "Lumio" },
      { id: "4", text: "Lumio 😡" },
    ].map((r) => JSON.stringify(r));
    const { mentions, problems } = parseImport(lines.join("\n"), { fileName: "x.jsonl" });
    expect(mentions.map((m) => m.sourceId)).toEqual(["1", "4"]);
    expect(problems).toEqual([
      { line: 2, reason: "no readable text: the text holds only whitespace, control or invisible characters" },
      { line: 3, reason: "the id is longer than 400 characters (500)" },
    ]);
  });

  test("parseImport() keeps HTML with a <script> as markup in `html`, and drops a javascript: URL", () => {
    const forum = mentions.find((m) => m.sourceId === "forum:forum-9");
    expect(forum?.html).toContain("<script>");
    expect(forum?.text).toBeUndefined();
    expect(forum?.url).toBeUndefined();
  });

  test("parseImport() keeps the record itself as raw, the platform's own name included", () => {
    expect(mentions[0]?.raw).toMatchObject({ id_str: "1790000000000000001", platform: "Twitter" });
    expect(mentions[1]?.raw).toMatchObject({ source: "VK" });
  });

  test("parseImport() gives the same ids when the same file is imported again", () => {
    const again = parseImport(fixture("export.jsonl"), { fileName: "export.jsonl" });
    expect(again.mentions.map((m) => m.sourceId)).toEqual(mentions.map((m) => m.sourceId));
  });

  test.for([
    ["an array on one line", '[{"text":"a"}]', /a JSON array, not one object per line.*jq -c/],
    ["a bare string", '"Lumio"', /a JSON string, not an object/],
    ["null", "null", /a JSON null, not an object/],
    ["an object without text", '{"id":"1","likes":3}', /^no text/],
    ["text that is an object", '{"text":{"p":"x"}}', /^no text/],
    ["an unreadable date", '{"text":"a","date":"yesterday"}', /^unreadable date "yesterday"/],
    ["a date with a month 13", '{"text":"a","date":"2024-13-01"}', /^unreadable date/],
    ["a date with 31 April", '{"text":"a","date":"31.04.2024"}', /^unreadable date/],
  ])("parseImport() reports %s as a problem", ([, line, reason]) => {
    const { mentions: m, problems: p } = parseImport(`${line}\n{"text":"next"}\n`, { format: "jsonl" });
    expect(p).toEqual([{ line: 1, reason: expect.stringMatching(reason as RegExp) }]);
    expect(m.map((x) => x.text)).toEqual(["next"]);
  });

  test("parseImport() does not use a numeric id past 2^53, which JSON.parse has already rounded", () => {
    const { mentions: m } = parseImport('{"id":1790000000000000001,"text":"a"}\n{"id":1790000000000000002,"text":"b"}\n', { format: "jsonl" });
    expect(m.map((x) => x.sourceId)).toEqual([expect.stringMatching(/^h:/), expect.stringMatching(/^h:/)]);
    expect(m[0]?.sourceId).not.toBe(m[1]?.sourceId);
  });

  test("parseImport() treats a __proto__ key as data", () => {
    const { mentions: m } = parseImport('{"__proto__":{"text":"polluted"},"text":"clean"}\n', { format: "jsonl" });
    expect(m.map((x) => x.text)).toEqual(["clean"]);
    expect(({} as Record<string, unknown>)["text"]).toBeUndefined();
  });

  test("parseImport() gives a record without an id the same hash id in JSON Lines and CSV", () => {
    const jsonl = parseImport('{"url":"https://e.pl/1","text":"Lumio padło","date":"2024-05-14T09:00:00+02:00"}\n', { format: "jsonl" });
    const csv = parseImport("url,text,date\nhttps://e.pl/1,Lumio padło,2024-05-14T07:00:00Z\n", { format: "csv" });
    expect(jsonl.mentions[0]?.sourceId).toMatch(/^h:/);
    expect(csv.mentions[0]?.sourceId).toBe(jsonl.mentions[0]?.sourceId);
    const other = parseImport('{"url":"https://e.pl/1","text":"Lumio działa","date":"2024-05-14T07:00:00Z"}\n', { format: "jsonl" });
    expect(other.mentions[0]?.sourceId).not.toBe(jsonl.mentions[0]?.sourceId);
  });
});

describe("parseImport() CSV", () => {
  test("parseImport() reads `;` rows with quoted multi-line fields, escaped quotes and a BOM", () => {
    const { mentions, problems } = parseImport(fixture("mentions-semicolon.csv"), { fileName: "mentions-semicolon.csv" });
    expect(problems).toEqual([]);
    expect(mentions.map(visible)).toEqual([
      {
        source: "import",
        sourceId: "twitter:101",
        url: "https://x.com/kasia_w/status/101",
        author: { handle: "kasia_w" },
        text: 'Lumio, serio? Trzeci raz w tym tygodniu "awaria" sieci.\r\nKtoś wie, kiedy naprawią?',
        publishedAt: "2024-05-14T06:15:00.000Z",
        lang: "pl",
        engagement: { likes: 1234 },
      },
      {
        source: "import",
        sourceId: "facebook:102",
        url: "https://facebook.com/posts/102",
        author: { name: "Jan Kowalski" },
        text: "Infolinia Lumio nie odbiera, czekam 40 minut",
        publishedAt: "2024-05-14T09:40:00.000Z",
        lang: "pl",
        engagement: { likes: 15 },
      },
      {
        source: "import",
        sourceId: "reddit:103",
        url: "https://reddit.com/r/x/103",
        author: { name: "Smith, John" },
        text: 'Lumio\'s outage map says "all good"; it isn\'t.',
        publishedAt: "2024-05-14T08:50:00.000Z",
        lang: "en",
        engagement: { likes: 7 },
      },
      {
        source: "import",
        sourceId: "forum:104",
        author: { name: "Ewa" },
        text: "Polecam Lumio; działa od rana.\r\nLinia druga.\r\nLinia trzecia.",
        publishedAt: "2024-05-14T10:00:00.000Z",
        lang: "pl",
      },
    ]);
    // raw is the row under the file's own header names.
    expect(mentions[0]?.raw).toMatchObject({ ID: "101", Platform: "Twitter", "Published At": "2024-05-14T08:15:00+02:00" });
  });

  test("parseImport() reads a windows-1251 CSV from Excel on a Russian Windows", () => {
    const { mentions, problems } = parseImport(fixture("reviews.windows-1251.csv"), { fileName: "reviews.windows-1251.csv" });
    expect(problems).toEqual([]);
    expect(mentions.map((m) => [m.sourceId, m.author?.name, m.text, m.publishedAt, m.rating, m.lang])).toEqual([
      ["r-1", "Иван Петров", "Ужасный сервис, интернет пропадает каждый вечер", "2024-05-13T15:00:00.000Z", 1, "ru"],
      ["r-2", "Мария", 'Роутер хороший, но "Люмио" берёт слишком дорого', "2024-05-13T21:02:00.000Z", 3, "ru"],
      ["r-3", "Ёжиков Пётр", "Всё работает отлично — рекомендую", "2024-05-14T06:30:00.000Z", 5, "ru"],
    ]);
  });

  test("parseImport() reads Excel's UTF-16LE Unicode Text with a BOM and tabs", () => {
    const { mentions, problems } = parseImport(fixture("excel-unicode.utf-16le.csv"), { fileName: "excel-unicode.utf-16le.csv" });
    expect(problems).toEqual([]);
    expect(mentions.map((m) => [m.title, m.text, m.author?.name, m.publishedAt, m.engagement?.views])).toEqual([
      ["Awaria Lumio", "Tysiące klientów bez internetu;\trzecznik przeprasza", "redakcja", "2024-05-14T07:00:00.000Z", 5400],
      ["Сбой «Люмио»", "Абоненты жалуются третий час", "novosti", "2024-05-14T08:00:00.000Z", 3100],
      ["Lumio outage", "Customers report a second outage", "daily", "2024-05-14T09:00:00.000Z", 900],
    ]);
    expect(mentions.every((m) => /^h:[0-9a-f]{24}$/.test(m.sourceId))).toBe(true);
  });

  test.for([["empty.csv"], ["header-only.csv"]])("parseImport() finds nothing and no problem in %s", ([file]) => {
    expect(parseImport(fixture(file as string), { fileName: file as string })).toEqual({ mentions: [], problems: [] });
  });

  test.for([
    ["a row with too many fields", "id;text\n1;a;b;c\n2;ok\n", /^4 fields where the header has 2/],
    ["a row with too few fields", "id;text;date\n1;a\n2;ok;2024-05-14\n", /^2 fields where the header has 3/],
  ])("parseImport() reports %s and reads the next row", ([, csv, reason]) => {
    const { mentions, problems } = parseImport(csv as string, { format: "csv" });
    expect(problems).toEqual([{ line: 2, reason: expect.stringMatching(reason as RegExp) }]);
    expect(mentions.map((m) => m.text)).toEqual(["ok"]);
  });

  test("parseImport() keeps a field with stray quotes as written (csv-parse relax_quotes), as spreadsheets do", () => {
    const { mentions, problems } = parseImport('id,text\n1,"a"b"c\n2,5" screen\n', { format: "csv" });
    expect(problems).toEqual([]);
    expect(mentions.map((m) => m.text)).toEqual(['"a"b"c', '5" screen']);
  });

  test("parseImport() accepts a trailing delimiter after the last field", () => {
    const { mentions, problems } = parseImport("id;text;\n1;Lumio;\n", { format: "csv" });
    expect(problems).toEqual([]);
    expect(mentions.map((m) => [m.sourceId, m.text])).toEqual([["1", "Lumio"]]);
  });

  test("parseImport() reports a header without a text column once, not once per row", () => {
    const { mentions, problems } = parseImport("id;likes\n1;3\n2;4\n3;5\n", { format: "csv" });
    expect(mentions).toEqual([]);
    expect(problems).toEqual([{ line: 1, reason: expect.stringMatching(/^the header has no text column.*"id", "likes"/) }]);
  });

  test("parseImport() matches header names without case, spaces or underscores, and Polish and Russian headers", () => {
    const pl = parseImport("Treść;Data;Autor;Źródło\nLumio padło;14.05.2024 09:00;Jan;Facebook\n", { format: "csv" });
    expect(pl.mentions.map(visible)).toEqual([
      { source: "import", sourceId: expect.stringMatching(/^h:/), author: { name: "Jan" }, text: "Lumio padło", publishedAt: "2024-05-14T09:00:00.000Z" },
    ]);
    const ru = parseImport("ТЕКСТ,Дата,Язык\nЛюмио упало,2024-05-14,русский\n", { format: "csv" });
    expect(ru.mentions.map((m) => [m.text, m.publishedAt, m.lang])).toEqual([["Люмио упало", "2024-05-14T00:00:00.000Z", "ru"]]);
    const en = parseImport("POST_ID,Full Text,created-at\n7,Hello,2024-05-14T10:00:00Z\n", { format: "csv" });
    expect(en.mentions.map((m) => [m.sourceId, m.text])).toEqual([["7", "Hello"]]);
  });

  test("parseImport() skips blank lines before the header and between rows, keeping line numbers", () => {
    const { mentions, problems } = parseImport("\n\nid;text\n\n1;a\n\n2;b;x\n", { format: "csv" });
    expect(mentions.map((m) => m.text)).toEqual(["a"]);
    expect(problems).toEqual([{ line: 7, reason: expect.stringMatching(/3 fields/) }]);
  });
});

describe("ImportParser", () => {
  test("ImportParser skips a line longer than the record limit and reads the next one", () => {
    const long = `{"text":"${"x".repeat(5_000)}"}`;
    const bytes = Buffer.from(`{"text":"a"}\n${long}\n{"text":"b"}\n`);
    const items = parseAll(bytes, "jsonl", [], 1_000);
    expect(items.map((i) => (i.kind === "mention" ? i.mention.text : i.problem))).toEqual([
      "a",
      { line: 2, reason: "longer than 1000 bytes; skipped" },
      "b",
    ]);
  });

  test("ImportParser takes a quote left open past the record limit for a stray one and reads on from the next line", () => {
    const rows = ['id;text', '1;"stray quote', ...Array.from({ length: 200 }, (_, i) => `${i + 2};row ${i + 2}`)];
    const items = parseAll(Buffer.from(rows.join("\n")), "csv", [], 1_000);
    const problems = items.filter((i) => i.kind === "problem").map((i) => i.kind === "problem" && i.problem);
    expect(problems).toEqual([{ line: 2, reason: "a quoted field is not closed (a stray quote?); the line was skipped" }]);
    expect(items.filter((i) => i.kind === "mention")).toHaveLength(200);
  });

  test("ImportParser reports a quote still open at the end of the file and keeps the rows after it", () => {
    const items = parseAll(Buffer.from('id;text\n1;"open\n2;two\n3;three'), "csv");
    expect(items.map((i) => (i.kind === "mention" ? i.mention.text : i.problem.line))).toEqual([2, "two", "three"]);
  });

  test("ImportParser gives each item the offset and line a reader resumes from", () => {
    const bytes = fixture("mentions-semicolon.csv");
    const items = parseAll(bytes, "csv");
    expect(items.map((i) => i.nextLine)).toEqual([4, 5, 6, 9]);
    expect(items.at(-1)?.end).toBe(bytes.length);
    // Every end is just past a line break.
    for (const item of items) expect(bytes[item.end - 1]).toBe(0x0a);
  });

  prop.prop([fc.constantFrom("export.jsonl", "mentions-semicolon.csv", "reviews.windows-1251.csv", "excel-unicode.utf-16le.csv"), fc.array(fc.nat(2_000), { maxLength: 12 })])(
    "ImportParser gives the same items however the bytes are chunked",
    (file, cuts) => {
      const bytes = fixture(file);
      const format: ImportFormat = file.endsWith(".jsonl") ? "jsonl" : "csv";
      expect(parseAll(bytes, format, cuts)).toEqual(parseAll(bytes, format));
    },
  );

  prop.prop([
    fc.array(fc.stringMatching(/^[a-z";,\n ]{0,40}$/), { minLength: 1, maxLength: 30 }),
    fc.constantFrom<ImportFormat>("jsonl", "csv"),
    fc.array(fc.nat(1_300), { maxLength: 12 }),
  ])("ImportParser frames text with stray quotes and over-long records the same however it is chunked", (rows, format, cuts) => {
    const bytes = Buffer.from(`id;text\n${rows.join("\n")}`);
    expect(parseAll(bytes, format, cuts, 48)).toEqual(parseAll(bytes, format, [], 48));
  });

  prop.prop([fc.constantFrom("export.jsonl", "mentions-semicolon.csv", "reviews.windows-1251.csv", "excel-unicode.utf-16le.csv"), fc.nat()])(
    "ImportParser after seek() to an item's end gives exactly the items after it",
    (file, pick) => {
      const bytes = fixture(file);
      const format: ImportFormat = file.endsWith(".jsonl") ? "jsonl" : "csv";
      const all = parseAll(bytes, format);
      const k = pick % all.length;
      const from = all[k] as ImportItem;
      const parser = new ImportParser({ format, charset: detectImportCharset(bytes, true) });
      let at = 0;
      while (!parser.ready) parser.push(bytes.subarray(at, (at += 16)));
      parser.seek(from.end, from.nextLine);
      const rest = [...parser.push(bytes.subarray(from.end)), ...parser.end()];
      expect(rest).toEqual(all.slice(k + 1));
    },
  );

  prop.prop([fc.string({ maxLength: 2_000 }), fc.constantFrom<ImportFormat>("jsonl", "csv")])("parseImport() never throws on any text", (text, format) => {
    const { mentions, problems } = parseImport(text, { format });
    const lines = text.split("\n").length;
    expect(mentions.length + problems.length).toBeLessThanOrEqual(lines);
    for (const p of problems) expect(p.line).toBeGreaterThanOrEqual(1);
    for (const m of mentions) expect(m.sourceId.length).toBeGreaterThan(0);
  });

  prop.prop([fc.uint8Array({ maxLength: 2_000 }), fc.constantFrom<ImportFormat | undefined>("jsonl", "csv", undefined)])("parseImport() never throws on any bytes", (bytes, format) => {
    const result = parseImport(bytes, format === undefined ? {} : { format });
    expect(Array.isArray(result.mentions) && Array.isArray(result.problems)).toBe(true);
  });

  prop.prop([
    fc.array(
      fc.record({
        id: fc.option(fc.oneof(fc.string(), fc.integer()), { nil: undefined }),
        text: fc.option(fc.string(), { nil: undefined }),
        date: fc.option(fc.oneof(fc.string(), fc.integer(), fc.double()), { nil: undefined }),
        likes: fc.option(fc.oneof(fc.string(), fc.integer(), fc.double()), { nil: undefined }),
        author: fc.option(fc.oneof(fc.string(), fc.object()), { nil: undefined }),
      }),
      { maxLength: 20 },
    ),
  ])("parseImport() reads every JSON line into a mention or a problem", (records) => {
    const text = records.map((r) => JSON.stringify(r)).join("\n");
    const { mentions, problems } = parseImport(text, { format: "jsonl" });
    expect(mentions.length + problems.length).toBe(records.length);
  });
});

describe("toImportDate()", () => {
  test.for([
    ["2024-05-14T07:12:00Z", "2024-05-14T07:12:00.000Z"],
    ["2024-05-14T09:12:00+02:00", "2024-05-14T07:12:00.000Z"],
    ["2024-05-14T09:12:00.123456+0200", "2024-05-14T07:12:00.123Z"],
    ["2024-05-14 09:12", "2024-05-14T09:12:00.000Z"],
    ["2024-05-14", "2024-05-14T00:00:00.000Z"],
    ["14.05.2024 09:12", "2024-05-14T09:12:00.000Z"],
    ["14.05.2024, 09:12:30", "2024-05-14T09:12:30.000Z"],
    ["4.5.2024", "2024-05-04T00:00:00.000Z"],
    ["Tue, 14 May 2024 09:12:00 +0200", "2024-05-14T07:12:00.000Z"],
    ["Tue, 14 May 2024 07:45:00 CEST", "2024-05-14T05:45:00.000Z"],
    ["Tue, 14 May 2024 11:20:00 MSK", "2024-05-14T08:20:00.000Z"],
    ["Tue, 14 May 2024 11:20:00 GMT", "2024-05-14T11:20:00.000Z"],
    ["May 14, 2024 11:20", "2024-05-14T11:20:00.000Z"],
    [1715670000, "2024-05-14T07:00:00.000Z"],
    [1715670000123, "2024-05-14T07:00:00.123Z"],
    ["1715670000", "2024-05-14T07:00:00.000Z"],
    ["1715670000.5", "2024-05-14T07:00:00.500Z"],
    ["1715670000123", "2024-05-14T07:00:00.123Z"],
  ])("toImportDate(%j) is %s", ([input, iso]) => {
    expect(toImportDate(input)).toBe(iso);
  });

  test.for([["yesterday"], ["1 2 3"], ["2024-02-30"], ["2024-05-14T25:00"], ["05/14/2024"], [-5], [Number.NaN], [1e300], [true], [{}]])(
    "toImportDate(%j) is null",
    ([input]) => {
      expect(toImportDate(input)).toBeNull();
    },
  );
});

describe("countOf()", () => {
  test.for([
    [12, 12],
    ["12", 12],
    ["1 234", 1234],
    ["1\u00a0234\u00a0567", 1234567],
    ["1,234", 1234],
    ["1.234.567", 1234567],
    ["1.2k", 1200],
    ["3M", 3_000_000],
    ["2,5K", 2500],
  ])("countOf(%j) is %d", ([input, n]) => {
    expect(countOf(input)).toBe(n);
  });

  test.for([[-1], ["-3"], ["12abc"], ["1,5"], [Number.POSITIVE_INFINITY], [null], ["1e400"]])("countOf(%j) is undefined", ([input]) => {
    expect(countOf(input)).toBeUndefined();
  });
});

describe("sniffDelimiter()", () => {
  test.for([
    ["id;text;date", ";"],
    ["id,text,date", ","],
    ["id\ttext\tdate", "\t"],
    ['"a,b";"c,d";e', ";"],
    ["text", ","],
  ])("sniffDelimiter(%j) is %j", ([header, delimiter]) => {
    expect(sniffDelimiter(header as string)).toBe(delimiter);
  });
});

describe("parseImport() charsets", () => {
  test("parseImport() tells a windows-1250 Polish file from a windows-1251 Russian one", () => {
    const pl = iconv.encode("id;text\n1;Zażółć gęślą jaźń, Lumio nie działa\n", "windows-1250");
    const ru = iconv.encode("id;text\n1;Люмио не работает, ужас\n", "windows-1251");
    expect(parseImport(pl, { format: "csv" }).mentions[0]?.text).toBe("Zażółć gęślą jaźń, Lumio nie działa");
    expect(parseImport(ru, { format: "csv" }).mentions[0]?.text).toBe("Люмио не работает, ужас");
  });

  test("parseImport() reads UTF-16 without a BOM by its NUL bytes, in either byte order", () => {
    const text = "id,text\n1,Люмио: awaria\n";
    expect(parseImport(iconv.encode(text, "utf-16le"), { format: "csv" }).mentions[0]?.text).toBe("Люмио: awaria");
    expect(parseImport(iconv.encode(text, "utf-16be"), { format: "csv" }).mentions[0]?.text).toBe("Люмио: awaria");
  });

  test("parseImport() uses a declared encoding over its guess", () => {
    const latin2 = iconv.encode("id;text\n1;Świetna obsługa, źle działa\n", "iso-8859-2");
    expect(parseImport(latin2, { format: "csv", encoding: "ISO-8859-2" }).mentions[0]?.text).toBe("Świetna obsługa, źle działa");
  });
});
