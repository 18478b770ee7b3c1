import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { asyncScheduler, interval, retry, timer, type Observable, type SchedulerLike, type Subscription } from "rxjs";
import { WebSocket, WebSocketServer } from "ws";
import type { Logger } from "../../collectors/source";
import { LIVE_PATH, type ServerMessage } from "../protocol";
import type { LiveEvent } from "../../pipeline/mention";
import type { Store } from "../../pipeline/store/store";
import type { Auth, Session } from "./auth";
import { liveFrames } from "./live-frames";
import { LiveMemory } from "./live-memory";
import { isSameOrigin } from "./same-origin";
import { loadSnapshotState } from "./snapshot";

/**
 * The WebSocket hub at LIVE_PATH. A browser is authenticated at the upgrade
 * (session cookie, same Origin) and refused with a bare HTTP status otherwise.
 * On connect it gets a snapshot, then the increments every other client gets:
 * live events are collected for `flushMs` and sent as a few frames, each
 * serialised once and written to every client. A client that cannot keep up
 * (its unsent bytes pass `maxBufferedBytes`) is dropped rather than let the
 * server's memory grow; it reconnects and starts again from a fresh snapshot.
 */

export interface LiveHubOptions {
  /** Live increments arrive here once per flush window. */
  flushMs: number;
  maxMentionsPerFrame: number;
  maxBufferedBytes: number;
  /** A client that has not answered the previous ping by the next one is dropped. */
  heartbeatMs: number;
  maxClients: number;
  /**
   * Sockets one user may hold at once (all their sessions together), so one
   * account cannot take every place or keep the store busy with snapshots.
   */
  maxClientsPerUser: number;
  snapshot: { mentions: number; incidents: number; timelineMs: number };
}

export const DEFAULT_LIVE_OPTIONS: LiveHubOptions = {
  flushMs: 250,
  maxMentionsPerFrame: 50,
  // Well above one snapshot (200 mentions + 6 h of minutes per brand), so a
  // client still reading its snapshot is not mistaken for a slow one.
  maxBufferedBytes: 4 * 1024 * 1024,
  heartbeatMs: 30_000,
  maxClients: 1_000,
  // Several tabs and devices, far from what one person needs to take the hub.
  maxClientsPerUser: 20,
  snapshot: { mentions: 200, incidents: 100, timelineMs: 6 * 60 * 60 * 1000 },
};

export interface LiveHubDeps {
  store: Store;
  events$: Observable<LiveEvent>;
  auth: Auth;
  log: Logger;
  now(): number;
  /** Owns the flush window, the heartbeat and the retry delay; virtual time in tests. */
  scheduler?: SchedulerLike;
}

/** Close code sent when the session behind a socket ends (signed out or expired): sign in again. */
export const SESSION_ENDED_CLOSE_CODE = 4401;
/** Clients send nothing but pongs; anything bigger is refused by `ws`. */
const MAX_CLIENT_MESSAGE_BYTES = 4 * 1024;
const CLOSE_GRACE_MS = 1_000;
const MAX_STREAM_RETRIES = 5;

interface Client {
  ws: WebSocket;
  session: Session;
  alive: boolean;
  /** Set once the snapshot went out; only then does the client get increments. */
  ready: boolean;
}

export class LiveHub {
  readonly #deps: LiveHubDeps;
  readonly #options: LiveHubOptions;
  readonly #wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_MESSAGE_BYTES, perMessageDeflate: false });
  readonly #clients = new Set<Client>();
  /** Open or opening sockets per username, counted from the accepted upgrade until the socket closes. */
  readonly #perUser = new Map<string, number>();
  readonly #memory: LiveMemory;
  readonly #subscriptions: Subscription[] = [];
  #closing = false;

  constructor(deps: LiveHubDeps, options: LiveHubOptions = DEFAULT_LIVE_OPTIONS) {
    this.#deps = deps;
    this.#options = options;
    this.#memory = new LiveMemory(options.snapshot);
    const scheduler = deps.scheduler ?? asyncScheduler;
    this.#subscriptions.push(
      deps.events$
        .pipe(
          liveFrames(options, scheduler),
          // A bad event must not end live updates for good: log, wait, listen
          // again. A stream that keeps failing without delivering anything is
          // given up after a few tries rather than retried forever.
          retry({
            count: MAX_STREAM_RETRIES,
            resetOnSuccess: true,
            delay: (err: unknown) => {
              deps.log.error({ err }, "live stream failed; resubscribing");
              return timer(1_000, scheduler);
            },
          }),
        )
        .subscribe({
          next: (frames) => this.#broadcast(frames),
          error: (err: unknown) => deps.log.error({ err }, "live stream failed for good; no more live updates"),
          complete: () => deps.log.info({}, "live stream completed"),
        }),
      interval(options.heartbeatMs, scheduler).subscribe(() => this.#heartbeat()),
    );
  }

  /** For `server.on("upgrade")`. Anything but an authenticated same-origin request to LIVE_PATH is refused. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on("error", (err) => this.#deps.log.debug({ err }, "upgrade socket error"));
    const path = (req.url ?? "").split("?")[0];
    if (path !== LIVE_PATH) return refuse(socket, 404, "Not Found");
    if (!isSameOrigin(req.headers)) return refuse(socket, 403, "Forbidden");
    const session = this.#deps.auth.sessionOf(req);
    if (session === null) return refuse(socket, 401, "Unauthorized");
    if (this.#closing || this.#clients.size >= this.#options.maxClients) return refuse(socket, 503, "Service Unavailable");
    const held = this.#perUser.get(session.username) ?? 0;
    if (held >= this.#options.maxClientsPerUser) {
      this.#deps.log.warn({ username: session.username, held }, "live socket refused: too many for one user");
      return refuse(socket, 429, "Too Many Requests");
    }
    // Counted until the socket closes, whichever way it ends (a failed handshake included).
    this.#perUser.set(session.username, held + 1);
    socket.once("close", () => {
      const left = (this.#perUser.get(session.username) ?? 1) - 1;
      if (left > 0) this.#perUser.set(session.username, left);
      else this.#perUser.delete(session.username);
    });
    this.#wss.handleUpgrade(req, socket, head, (ws) => void this.#join(ws, session));
  }

  /** Sends a frame that did not come from the pipeline (a mention's workflow changed) to every client now. */
  publish(message: ServerMessage): void {
    if (!this.#closing) this.#broadcast([message]);
  }

  /** Stops the increments and closes every socket (1001, then terminated if it lingers). */
  async close(): Promise<void> {
    this.#closing = true;
    for (const s of this.#subscriptions) s.unsubscribe();
    const closed = [...this.#clients].map(
      ({ ws }) =>
        new Promise<void>((resolve) => {
          if (ws.readyState === WebSocket.CLOSED) return resolve();
          const force = setTimeout(() => ws.terminate(), CLOSE_GRACE_MS);
          ws.once("close", () => {
            clearTimeout(force);
            resolve();
          });
          ws.close(1001, "server shutting down");
        }),
    );
    await Promise.all(closed);
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }

  async #join(ws: WebSocket, session: Session): Promise<void> {
    const client: Client = { ws, session, alive: true, ready: false };
    this.#clients.add(client);
    ws.on("pong", () => (client.alive = true));
    ws.on("error", (err) => this.#deps.log.debug({ err }, "live socket error"));
    ws.on("close", () => this.#clients.delete(client));
    try {
      const stored = await loadSnapshotState(this.#deps.store, this.#deps.now(), this.#options.snapshot);
      if (ws.readyState !== WebSocket.OPEN) return;
      // From here to `ready = true` runs in one tick: every flush before it is
      // in the memory merged below, every flush after it is sent to the client.
      const now = this.#deps.now();
      const state = this.#memory.complete(stored, now);
      const snapshot: ServerMessage = {
        type: "snapshot",
        serverTime: now,
        brands: state.brands,
        mentions: state.mentions,
        incidents: state.incidents,
        timeline: state.timeline,
      };
      ws.send(JSON.stringify(snapshot));
      client.ready = true;
      this.#deps.log.debug({ username: session.username }, "live client joined");
    } catch (err) {
      this.#deps.log.error({ err }, "live snapshot failed");
      ws.close(1011, "snapshot failed");
    }
  }

  #broadcast(frames: readonly ServerMessage[]): void {
    this.#memory.remember(frames, this.#deps.now());
    if (this.#clients.size === 0) return;
    for (const frame of frames) {
      const text = JSON.stringify(frame); // once per frame, the same string for every client
      for (const client of this.#clients) {
        if (!client.ready || client.ws.readyState !== WebSocket.OPEN) continue;
        if (client.ws.bufferedAmount > this.#options.maxBufferedBytes) {
          this.#deps.log.warn(
            { username: client.session.username, buffered: client.ws.bufferedAmount },
            "live client too slow; dropped",
          );
          this.#clients.delete(client);
          client.ws.terminate();
          continue;
        }
        client.ws.send(text);
      }
    }
  }

  #heartbeat(): void {
    for (const client of this.#clients) {
      if (!this.#deps.auth.isLive(client.session)) {
        this.#clients.delete(client);
        client.ws.close(SESSION_ENDED_CLOSE_CODE, "session ended");
        continue;
      }
      if (!client.alive) {
        this.#clients.delete(client);
        client.ws.terminate();
        continue;
      }
      client.alive = false;
      client.ws.ping();
    }
  }
}

/** Answers a refused upgrade with a bare status line and closes the socket. */
function refuse(socket: Duplex, status: number, reason: string): void {
  if (socket.destroyed) return;
  socket.once("finish", () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
