import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { loadConfig, stripJsonComments } from "../../../pipeline/config/load";
import { isConfigError } from "../../../pipeline/errors";

const dir = mkdtempSync(join(tmpdir(), "earshot-config-"));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

function problemsOf(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    if (isConfigError(err)) return err.message;
    throw err;
  }
  throw new Error("no ConfigError");
}

describe("loadConfig()", () => {
  test("loadConfig() with no file runs the demo source on the embedded store at 127.0.0.1:8787", () => {
    const { config, secrets } = loadConfig(null, {});
    expect(config.store).toEqual({ kind: "embedded", dataDir: "./data", database: "earshot" });
    expect(config.dashboard).toMatchObject({ host: "127.0.0.1", port: 8787 });
    expect(config.sources.map((s) => s.kind)).toEqual(["demo"]);
    expect(config.brands[0]!.name).toBe("Lumio");
    expect(secrets).toMatchObject({ adminUser: "admin", adminPassword: null });
  });

  test("loadConfig() lets EARSHOT_* variables win over the file and reads secrets only from the environment", () => {
    const path = file("a.json", JSON.stringify({ dashboard: { port: 9000 } }));
    const { config, secrets } = loadConfig(path, {
      EARSHOT_DASHBOARD_PORT: "9100",
      EARSHOT_STORE_URL: "http://127.0.0.1:8123",
      EARSHOT_ADMIN_PASSWORD: "correct horse",
    });
    expect(config.dashboard.port).toBe(9100);
    expect(config.store).toMatchObject({ kind: "server", url: "http://127.0.0.1:8123" });
    expect(secrets.adminPassword).toBe("correct horse");
  });

  test("loadConfig() lists every problem with its path in one error", () => {
    const path = file(
      "bad.json",
      JSON.stringify({
        dashboard: { port: 70000 },
        brands: [{ name: "", terms: [] }],
        sources: [{ kind: "nope" }],
        spikes: { sensitivity: "high" },
      }),
    );
    const message = problemsOf(() => loadConfig(path, {}));
    for (const where of ["dashboard.port", "brands[0].name", "brands[0].terms", "sources[0]", "spikes.sensitivity"])
      expect(message).toContain(where);
  });

  test("loadConfig() names an unknown key, a value of the wrong type and a brand query that does not parse, with their paths, in one error", () => {
    const path = file(
      "typos.json",
      JSON.stringify({
        dashbord: { port: 8787 },
        store: { kind: "embedded", datadir: "./data" },
        pipeline: { maxTextChars: "lots" },
        brands: [{ name: "Lumio", query: "Lumio AND (awaria" }],
      }),
    );
    const message = problemsOf(() => loadConfig(path, {}));
    expect(message).toContain(`Invalid configuration in ${path}`);
    expect(message).toContain('Unrecognized key: "dashbord"');
    expect(message).toMatch(/Unrecognized key: "datadir"\s+→ at store/);
    expect(message).toMatch(/expected number, received string\s+→ at pipeline\.maxTextChars/);
    expect(message).toMatch(/missing \) to close the \([\s\S]*Lumio AND \(awaria[\s\S]*→ at brands\[0\]\.query/);
  });

  test("loadConfig() reads a file saved with a byte-order mark, or as UTF-16 in either byte order", () => {
    const json = '{ "dashboard": { "port": 9000 }, "brands": [{ "name": "Żabka", "terms": ["Żabka", "Жабка"] }] }\r\n';
    const utf16be = Buffer.from(`\uFEFF${json}`, "utf16le").swap16();
    for (const [name, bytes] of [
      ["bom.json", Buffer.from(`\uFEFF${json}`, "utf8")],
      ["utf16le.json", Buffer.from(`\uFEFF${json}`, "utf16le")],
      ["utf16be.json", utf16be],
    ] as const) {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      const { config } = loadConfig(path, {});
      expect(config.dashboard.port).toBe(9000);
      expect(config.brands[0]?.terms).toEqual(["Żabka", "Жабка"]);
    }
  });

  test("loadConfig() refuses a file that is not UTF-8 with the line, and one that holds null or an array", () => {
    const path = join(dir, "cp1250.json");
    writeFileSync(path, Buffer.concat([Buffer.from('{\n  "brands": [{ "name": "'), Buffer.from([0xaf]), Buffer.from('abka", "terms": ["x"] }]\n}\n')]));
    expect(problemsOf(() => loadConfig(path, {}))).toBe(`Configuration file ${path} is not UTF-8 (line 2); save it as UTF-8`);
    expect(problemsOf(() => loadConfig(file("null.json", "null"), {}))).toContain("holds null; it must be one JSON object");
    expect(problemsOf(() => loadConfig(file("array.json", "[]"), {}))).toContain("holds an array; it must be one JSON object");
  });

  test("loadConfig() refuses a secret written into the file", () => {
    const path = file("secret.json", JSON.stringify({ alerts: { webhook: { url: "https://h.example/x", secret: "s3cret" } } }));
    const message = problemsOf(() => loadConfig(path, { EARSHOT_WEBHOOK_SECRET: "x" }));
    expect(message).toContain("secret");
    expect(message).toContain("alerts.webhook");
  });

  test("loadConfig() requires EARSHOT_WEBHOOK_SECRET when a webhook is configured", () => {
    const path = file("hook.json", JSON.stringify({ alerts: { webhook: { url: "https://h.example/x" } } }));
    expect(problemsOf(() => loadConfig(path, {}))).toContain("EARSHOT_WEBHOOK_SECRET");
  });

  test("loadConfig() requires the Slack signing secret when Slack buttons acknowledge, and a long Opsgenie token", () => {
    const path = file("slack-ack.json", JSON.stringify({ alerts: { channels: [{ channel: "slack", acknowledgeInSlack: true }] } }));
    const env = { EARSHOT_SLACK_WEBHOOK_URL: "https://hooks.slack.com/services/T/B/x" };
    expect(problemsOf(() => loadConfig(path, env))).toContain("alerts.channels[0].acknowledgeInSlack");
    expect(() => loadConfig(path, { ...env, EARSHOT_SLACK_SIGNING_SECRET: "8f742231b10e8888abcd99yyyzzz85a5" })).not.toThrow();
    expect(problemsOf(() => loadConfig(null, { EARSHOT_OPSGENIE_WEBHOOK_TOKEN: "short" }))).toContain("EARSHOT_OPSGENIE_WEBHOOK_TOKEN must have at least 32 characters");
  });

  test("loadConfig() accepts a brand's escalation path of configured contacts", () => {
    const config = {
      alerts: { channels: [{ channel: "slack", name: "pr-room" }, { channel: "pagerduty", name: "on-call" }] },
      brands: [{ name: "Lumio", terms: ["Lumio"], escalation: [{ contact: "on-call", afterMinutes: 15 }], spikes: { sensitivity: 6 } }],
    };
    const env = { EARSHOT_SLACK_WEBHOOK_URL: "https://hooks.slack.com/services/T/B/x", EARSHOT_PAGERDUTY_ROUTING_KEY: "k".repeat(32) };
    const loaded = loadConfig(file("path.json", JSON.stringify(config)), env);
    expect(loaded.config.brands[0]).toMatchObject({ escalation: [{ contact: "on-call", afterMinutes: 15 }], spikes: { sensitivity: 6 } });
  });

  test("loadConfig() refuses an escalation step naming no contact, or one named twice, with its path", () => {
    const config = {
      alerts: { channels: [{ channel: "slack", name: "pr-room" }] },
      brands: [{ name: "Lumio", terms: ["Lumio"], escalation: [{ contact: "ceo", afterMinutes: 30 }, { contact: "pr-room", afterMinutes: 0 }, { contact: "pr-room", afterMinutes: 5 }] }],
    };
    const message = problemsOf(() => loadConfig(file("bad-path.json", JSON.stringify(config)), { EARSHOT_SLACK_WEBHOOK_URL: "https://hooks.slack.com/services/T/B/x" }));
    expect(message).toContain('no alerts.channels entry is named "ceo" (names: pr-room)');
    expect(message).toContain("brands[0].escalation[0].contact");
    expect(message).toContain('"pr-room" is already a step of this path');
  });

  test("loadConfig() says clearly when the file is missing or not JSON", () => {
    expect(problemsOf(() => loadConfig(join(dir, "missing.json"), {}))).toContain("Cannot read configuration file");
    expect(problemsOf(() => loadConfig(file("broken.json", "{ nope"), {}))).toContain("is not valid JSON");
  });

  test("loadConfig() accepts the commented example configuration shipped in the repo", () => {
    const { config } = loadConfig("pipeline/config/earshot.config.example.json", { EARSHOT_WEBHOOK_SECRET: "x" });
    expect(config.sources.map((s) => s.kind)).toEqual(["demo", "rss"]);
    expect(config.alerts.lang).toBe("pl");
  });
});

describe("stripJsonComments()", () => {
  test("stripJsonComments() removes comments but keeps // and /* inside strings", () => {
    const text = '{ // note\n "url": "https://x.example/a//b", /* block */ "p": "/*not*/" }';
    expect(JSON.parse(stripJsonComments(text))).toEqual({ url: "https://x.example/a//b", p: "/*not*/" });
  });
});
