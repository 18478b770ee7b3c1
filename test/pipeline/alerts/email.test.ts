import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { emailMessage, emailNotifier } from "../../../pipeline/alerts/email";
import { isNotifierError, type NotifierError } from "../../../pipeline/errors";
import { HOSTILE, notice, spike } from "./support/incident";
import { findPart, parseMime, type MimePart } from "./support/mime";

interface Mail {
  from: string;
  to: string[];
  user: string | undefined;
  raw: string;
}

const mails: Mail[] = [];
/** SMTP reply to the next RCPT TO, if any: e.g. [550, "mailbox unavailable"]. */
let rejectNextRcpt: [number, string] | null = null;
let server: SMTPServer;
let port = 0;

beforeAll(async () => {
  // a real SMTP server from the smtp-server package, on loopback, with AUTH PLAIN/LOGIN over plain text (test only)
  server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === "earshot" && auth.password === "smtp-pass") callback(null, { user: auth.username });
      else callback(Object.assign(new Error("Invalid username or password"), { responseCode: 535 }));
    },
    onRcptTo(address, _session, callback) {
      const reject = rejectNextRcpt;
      rejectNextRcpt = null;
      if (reject) callback(Object.assign(new Error(reject[1]), { responseCode: reject[0] }));
      else callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          user: typeof session.user === "string" ? session.user : undefined,
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        callback();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.server.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
});

const mailer = (over: Partial<Parameters<typeof emailNotifier>[0]> = {}) =>
  emailNotifier({
    host: "127.0.0.1",
    port,
    user: "earshot",
    password: "smtp-pass",
    from: "Earshot <alerts@earshot.test>",
    to: ["oncall@lumio.test", "pr@lumio.test"],
    timeoutMs: 3_000,
    ...over,
  });

async function failure(send: Promise<unknown>): Promise<NotifierError> {
  const err = await send.then(() => null, (e: unknown) => e);
  if (!isNotifierError(err)) throw new Error(`expected a NotifierError, got ${String(err)}`);
  return err;
}

async function sendOne(n: ReturnType<typeof notice>): Promise<MimePart> {
  mails.length = 0;
  expect(await mailer().send(n, AbortSignal.timeout(5_000))).toEqual({ httpStatus: null });
  expect(mails).toHaveLength(1);
  return parseMime(mails[0]!.raw);
}

describe("emailNotifier()", () => {
  test("send() delivers a Polish notice with a localised subject, a text part and an HTML part", async () => {
    const n = notice({ lang: "pl", text: "🔴 Lumio: gwałtowny wzrost negatywnych wzmianek — 34 w ciągu minuty (zwykle 1)." });
    const mail = await sendOne(n);
    expect(mails[0]).toMatchObject({ from: "alerts@earshot.test", to: ["oncall@lumio.test", "pr@lumio.test"], user: "earshot" });
    expect(mail.headers.get("subject")).toBe("[Earshot] 🔴 Fala negatywnych wzmianek: Lumio");
    expect(mail.headers.get("from")).toBe("Earshot <alerts@earshot.test>");
    expect(mail.headers.get("to")).toBe("oncall@lumio.test, pr@lumio.test");
    expect(mail.headers.get("message-id")).toBe("<lumio-20261123T1406.firing@earshot>");
    expect(mail.headers.get("content-language")).toBe("pl");
    expect(mail.headers.get("x-earshot-incident")).toBe("lumio-20261123T1406");
    expect(mail.headers.get("auto-submitted")).toBe("auto-generated");
    expect(mail.headers.get("content-type")).toMatch(/^multipart\/alternative/);

    expect(findPart(mail, "text/plain")!.body).toBe(
      [
        n.text,
        "",
        "Incydent: lumio-20261123T1406",
        "Szczyt na minutę: 34",
        "Zwykle: 1",
        "",
        `Przyjmij: ${n.ackLink}`,
        `Otwórz panel: ${n.link}`,
        "",
        "— Earshot, monitoring mediów społecznościowych",
      ].join("\n"),
    );
    const html = findPart(mail, "text/html")!.body;
    expect(html).toContain('<html lang="pl">');
    expect(html).toContain(`<p style="white-space:pre-wrap">${n.text}</p>`);
    expect(html).toContain(`<a href="${n.ackLink!.replace(/&/g, "&amp;")}"`);
    expect(html).toContain(">Otwórz panel</a>");
  });

  test("send() escapes mention text in the HTML part and keeps it verbatim in the text part", async () => {
    const mail = await sendOne(notice({ text: HOSTILE }));
    const html = findPart(mail, "text/html")!.body;
    expect(html).toContain(
      "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;!channel&gt; &lt;http://evil.example|click&gt; *bold* [x](http://evil.example) &quot;q&quot; &#39;a&#39;",
    );
    expect(html).not.toContain("<script>");
    expect(findPart(mail, "text/plain")!.body.startsWith(HOSTILE)).toBe(true);
  });

  test("send() threads a Russian resolve under the incident's first message", async () => {
    const mail = await sendOne(notice({ lang: "ru", event: "resolved", text: "🟢 Lumio: инцидент завершён" }));
    expect(mail.headers.get("subject")).toBe("[Earshot] 🟢 Завершён: Lumio");
    expect(mail.headers.get("message-id")).toBe("<lumio-20261123T1406.resolved@earshot>");
    expect(mail.headers.get("in-reply-to")).toBe("<lumio-20261123T1406.firing@earshot>");
    expect(mail.headers.get("references")).toBe("<lumio-20261123T1406.firing@earshot>");
    expect(findPart(mail, "text/plain")!.body).not.toContain("Принять"); // no acknowledge once resolved
  });

  test("send() gives up on a permanent 550 rejection", async () => {
    mails.length = 0;
    rejectNextRcpt = [550, "5.1.1 mailbox unavailable"];
    const err = await failure(mailer({ to: ["gone@lumio.test"] }).send(notice(), AbortSignal.timeout(5_000)));
    expect(err.retryable).toBe(false);
    expect(err.message).toContain("550");
    expect(mails).toEqual([]);
  });

  test("send() retries a transient 451", async () => {
    rejectNextRcpt = [451, "4.3.0 try again later"];
    const err = await failure(mailer({ to: ["busy@lumio.test"] }).send(notice(), AbortSignal.timeout(5_000)));
    expect(err.retryable).toBe(true);
  });

  test("send() gives up on wrong credentials", async () => {
    const err = await failure(mailer({ password: "wrong" }).send(notice(), AbortSignal.timeout(5_000)));
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(/535|EAUTH/);
  });

  test("send() retries when nothing listens on the port", async () => {
    const closed = await new Promise<number>((r) => {
      const probe = new SMTPServer({ logger: false });
      probe.listen(0, "127.0.0.1", () => {
        const p = (probe.server.address() as { port: number }).port;
        probe.close(() => r(p));
      });
    });
    const err = await failure(mailer({ port: closed }).send(notice(), AbortSignal.timeout(5_000)));
    expect(err.retryable).toBe(true);
  });
});

describe("emailMessage()", () => {
  test("emailMessage() makes a safe Message-ID from any incident key", () => {
    expect(emailMessage(notice({ incident: { ...spike, key: "a b<c>@d" } })).messageId).toBe("<a_b_c__d.firing@earshot>");
  });
});
