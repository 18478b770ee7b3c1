import { createServer, type Server } from "node:http";

/**
 * A Bot API server on 127.0.0.1 at its wire format: getUpdates answers the
 * updates from `offset` on, holding the request (long polling) while there
 * are none; sendMessage answers the sent message, answerCallbackQuery and
 * editMessageReplyMarkup answer ok; a path with another token is 404. Every
 * call is recorded.
 */
export interface BotApi {
  base: string;
  calls: { method: string; body: Record<string, unknown> }[];
  push(update: Record<string, unknown>): void;
  /** Resolves once `method` has been called `n` times. */
  waitFor(method: string, n: number): Promise<void>;
  close(): Promise<void>;
}

export async function startBotApi(token: string, options: { getUpdatesStatus?: number } = {}): Promise<BotApi> {
  const updates: Record<string, unknown>[] = [];
  const calls: BotApi["calls"] = [];
  let wake: (() => void) | null = null;
  const waiters: { method: string; n: number; done: () => void }[] = [];
  const server: Server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c.toString("utf8")));
    req.on("end", async () => {
      const method = (req.url ?? "").split("/").pop() ?? "";
      const body = raw === "" ? {} : (JSON.parse(raw) as Record<string, unknown>);
      calls.push({ method, body });
      if (req.url !== `/bot${token}/${method}`) return void res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ ok: false, error_code: 404, description: "Not Found" }));
      for (const w of waiters) if (calls.filter((c) => c.method === w.method).length >= w.n) w.done();
      const reply = (status: number, json: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(json));
      if (method === "sendMessage") return reply(200, { ok: true, result: { message_id: calls.length, chat: { id: Number(body.chat_id) }, date: 0, text: "" } });
      if (method !== "getUpdates") return reply(200, { ok: true, result: true });
      if (options.getUpdatesStatus !== undefined) {
        return reply(options.getUpdatesStatus, { ok: false, error_code: options.getUpdatesStatus, description: "Conflict: can't use getUpdates method while webhook is active" });
      }
      const offset = Number(body.offset ?? 0);
      const pending = () => updates.filter((u) => Number(u.update_id) >= offset);
      if (pending().length === 0) {
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, Number(body.timeout ?? 0) * 1000);
        });
      }
      reply(200, { ok: true, result: pending() });
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    base: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    calls,
    push(update) {
      updates.push(update);
      wake?.();
    },
    waitFor: (method, n) =>
      new Promise<void>((done) => {
        if (calls.filter((c) => c.method === method).length >= n) done();
        else waiters.push({ method, n, done });
      }),
    close: () =>
      new Promise<void>((r) => {
        wake?.();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

