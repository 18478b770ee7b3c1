import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runPollCommand } from "../../../pipeline/cli/poll-command";
import { sourcesText } from "../../../pipeline/cli/sources-command";
import { payload, serveRecorded, type RecordedServer } from "../../support/recorded-http";

let server: RecordedServer;
beforeAll(async () => {
  server = await serveRecorded({
    "/pl.xml": { body: payload("rss/polish-news.iso-8859-2.xml"), headers: { "content-type": "application/rss+xml; charset=iso-8859-2" } },
    "/broken.xml": { body: payload("rss/malformed.xml"), headers: { "content-type": "application/rss+xml" } },
  });
});
afterAll(() => server.close());

async function poll(options: object, allowPrivateNetworks = true, kind = "rss") {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runPollCommand({
    kind,
    optionsJson: JSON.stringify(options),
    allowPrivateNetworks,
    secret: () => undefined,
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    now: () => new Date("2024-05-14T12:00:00Z"),
  });
  return { code, out, err: err.join("\n") };
}

describe("earshot poll", () => {
  test("runPollCommand() prints one normalised mention per JSON line, transcoded from ISO-8859-2", async () => {
    const { code, out } = await poll({ url: server.url("/pl.xml") });
    expect(code).toBe(0);
    const mentions = out.map((l) => JSON.parse(l) as { id: string; text: string; lang: string; publishedAt: string });
    expect(mentions.length).toBeGreaterThan(0);
    expect(mentions[0]!.id).toMatch(/^rss:/);
    expect(mentions.some((m) => /[ąćęłńóśźż]/i.test(m.text))).toBe(true);
    expect(mentions.every((m) => m.lang === "pl")).toBe(true);
    expect(mentions[0]!.publishedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  test("runPollCommand() refuses a loopback feed unless --allow-private-networks is given", async () => {
    const { code, out, err } = await poll({ url: server.url("/pl.xml") }, false);
    expect(code).toBe(1);
    expect(out).toEqual([]);
    expect(err).toMatch(/allowPrivateNetworks|refused/);
  });

  test("runPollCommand() says why a malformed feed failed and exits non-zero", async () => {
    const { code, err } = await poll({ url: server.url("/broken.xml") });
    expect(code).toBe(1);
    expect(err).toMatch(/line \d+/i);
  });

  test("runPollCommand() lists every bad option and an unknown kind clearly", async () => {
    expect((await poll({ url: "not a url", colour: 1 })).err).toMatch(/url[\s\S]*colour|colour[\s\S]*url/);
    const unknown = await poll({}, true, "myspace");
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('unknown source kind "myspace"');
  });
});

describe("earshot sources", () => {
  test("sourcesText() lists every kind with its options", () => {
    const text = sourcesText();
    expect(text).toContain("rss (polled on a schedule)");
    expect(text).toContain("url: URL (required)");
    expect(text).toContain("demo (streams by itself)");
  });
});
