/**
 * The dashboard's live state, kept by the WebSocket at LIVE_PATH. The socket is
 * open only while some view reads the feed (createSubscriber); it reconnects
 * with backoff, and every (re)connect starts again from the server's snapshot.
 */
import { createSubscriber, SvelteMap } from "svelte/reactivity";
import {
  LIVE_PATH,
  type IncidentView,
  type MentionView,
  type MentionWorkflowView,
  type MinutePoint,
  type ServerMessage,
} from "../../protocol";
import { isNewerWorkflow, mergeIncident, mergeMentionBatches, mergeMentions, mergePoints, sortIncidents } from "./feed-merge";
import { parseServerMessage } from "./server-message";

export type FeedStatus = "connecting" | "live" | "offline";

/** The stream keeps this many mentions; older ones fall off the bottom. */
export const MAX_MENTIONS = 500;
const MAX_INCIDENTS = 200;
/** The timeline shows 6 hours; keep a little more so a late count is not lost at the edge. */
const TIMELINE_KEEP_MS = 6 * 60 * 60_000 + 15 * 60_000;
/** Waits between reconnect attempts; the last one repeats. Jittered so clients do not stampede. */
const BACKOFF_MS = [1_000, 2_000, 5_000, 10_000, 20_000, 30_000];
/** Close codes after which the session may be gone: policy violation and the 4000-range 401. */
const AUTH_CLOSE_CODES = new Set([1008, 4001, 4401]);

export interface LiveFeedOptions {
  url: string;
  /**
   * Whether the session is still valid: true, false (the server said 401), or
   * null when that cannot be told (server unreachable). Asked when a socket is
   * refused or closed for policy: a browser never sees the upgrade's 401 itself.
   */
  sessionActive: () => Promise<boolean | null>;
  /** Called once the session is known to be gone; the feed stops reconnecting. */
  onUnauthorized: () => void;
  /** The WebSocket constructor; the browser's by default. */
  WebSocketImpl?: typeof WebSocket;
}

/** ws: or wss: to match the page, same host, LIVE_PATH. */
export function liveUrl(location: Pick<Location, "protocol" | "host">): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}${LIVE_PATH}`;
}

export class LiveFeed {
  #options: LiveFeedOptions;
  #status: FeedStatus = $state("connecting");
  #brands: readonly string[] = $state.raw([]);
  #mentions: readonly MentionView[] = $state.raw([]);
  #incidents: readonly IncidentView[] = $state.raw([]);
  #timeline: readonly MinutePoint[] = $state.raw([]);
  /** Server clock minus ours, from the last snapshot: "now" on the timeline is the server's now. */
  #clockOffset = $state(0);
  #hasSnapshot = $state(false);
  /** Counts snapshots: views that load pages over HTTP reload them after a reconnect. */
  #snapshots = $state(0);
  /**
   * Mention frames not drawn yet. At thousands of mentions a second frames
   * arrive faster than the screen redraws: they wait here and are merged once
   * per animation frame, so the list is replaced (and re-derived) at most once
   * per paint, never once per frame.
   */
  #pending: (readonly MentionView[])[] = [];
  #pendingCount = 0;
  #flushQueued = false;
  /** The team's work per mention id: from live frames, HTTP pages and this user's own changes. Rows read one entry each. */
  readonly #workflows = new SvelteMap<string, MentionWorkflowView>();
  #reconnect: (() => void) | null = null;
  #subscribe: () => void;

  constructor(options: LiveFeedOptions) {
    this.#options = options;
    this.#subscribe = createSubscriber(() => this.#run());
  }

  get status(): FeedStatus {
    this.#subscribe();
    return this.#status;
  }
  get brands(): readonly string[] {
    this.#subscribe();
    return this.#brands;
  }
  /** Newest first. */
  get mentions(): readonly MentionView[] {
    this.#subscribe();
    return this.#mentions;
  }
  /** Firing, then acknowledged, then resolved; newest first within each. */
  get incidents(): readonly IncidentView[] {
    this.#subscribe();
    return this.#incidents;
  }
  /** Sorted by minute. */
  get timeline(): readonly MinutePoint[] {
    this.#subscribe();
    return this.#timeline;
  }
  get clockOffset(): number {
    this.#subscribe();
    return this.#clockOffset;
  }
  /** False until the first snapshot arrives, so views can tell "empty" from "not loaded". */
  get hasSnapshot(): boolean {
    this.#subscribe();
    return this.#hasSnapshot;
  }

  get snapshotCount(): number {
    this.#subscribe();
    return this.#snapshots;
  }

  /** The workflow of one mention, or undefined when nobody has worked on it (as far as this client knows). */
  workflowOf(mentionId: string): MentionWorkflowView | undefined {
    return this.#workflows.get(mentionId);
  }

  /** Takes a workflow from a live frame or an HTTP answer; an older change never replaces a newer one. */
  applyWorkflow(workflow: MentionWorkflowView): void {
    if (isNewerWorkflow(this.#workflows.get(workflow.mentionId), workflow)) this.#workflows.set(workflow.mentionId, workflow);
  }

  /** Reconnects at once instead of waiting out the backoff (a button, the `online` event). */
  reconnectNow(): void {
    this.#reconnect?.();
  }

  /** Takes an incident from an HTTP answer (e.g. acknowledge), same rules as a live frame. */
  applyIncident(incident: IncidentView): void {
    this.#incidents = mergeIncident(this.#incidents, incident, MAX_INCIDENTS);
  }

  #apply(message: ServerMessage): void {
    switch (message.type) {
      case "snapshot":
        this.#clockOffset = message.serverTime - Date.now();
        this.#brands = [...new Set(message.brands)];
        this.#pending = [];
        this.#pendingCount = 0;
        this.#mentions = mergeMentions([], message.mentions, MAX_MENTIONS);
        this.#incidents = sortIncidents(message.incidents, MAX_INCIDENTS);
        this.#timeline = mergePoints([], message.timeline, this.#timelineCutoff());
        this.#hasSnapshot = true;
        this.#snapshots += 1;
        break;
      case "mentions":
        this.#queueMentions(message.mentions);
        break;
      case "mention-workflow":
        this.applyWorkflow(message.workflow);
        break;
      case "counts":
        this.#timeline = mergePoints(this.#timeline, message.counts, this.#timelineCutoff());
        break;
      case "incident":
        this.applyIncident(message.incident);
        break;
    }
  }

  #queueMentions(mentions: readonly MentionView[]): void {
    this.#pending.push(mentions);
    this.#pendingCount += mentions.length;
    // A hidden tab gets no animation frames: keep only what could still be shown.
    if (this.#pendingCount > 4 * MAX_MENTIONS) {
      const newest = mergeMentionBatches([], this.#pending, MAX_MENTIONS).reverse();
      this.#pending = [newest];
      this.#pendingCount = newest.length;
    }
    if (this.#flushQueued) return;
    this.#flushQueued = true;
    const flush = (): void => {
      this.#flushQueued = false;
      if (this.#pending.length === 0) return;
      const batches = this.#pending;
      this.#pending = [];
      this.#pendingCount = 0;
      this.#mentions = mergeMentionBatches(this.#mentions, batches, MAX_MENTIONS);
    };
    if (typeof requestAnimationFrame === "function" && document.visibilityState === "visible") requestAnimationFrame(flush);
    else setTimeout(flush, 250);
  }

  #timelineCutoff(): number {
    return Date.now() + this.#clockOffset - TIMELINE_KEEP_MS;
  }

  /** One connection loop: runs while the feed has readers; returns its teardown. */
  #run(): () => void {
    const { url, sessionActive, onUnauthorized } = this.#options;
    const Impl = this.#options.WebSocketImpl ?? WebSocket;
    let socket: WebSocket | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    let stopped = false;

    const connect = (): void => {
      clearTimeout(timer);
      timer = undefined;
      if (stopped || socket !== null) return;
      this.#status = "connecting";
      let opened = false;
      let current: WebSocket;
      try {
        current = new Impl(url);
      } catch {
        void closed(false, 1006);
        return;
      }
      socket = current;
      current.onopen = () => {
        opened = true;
        this.#status = "live";
      };
      current.onmessage = (event: MessageEvent) => {
        const message = parseServerMessage(event.data);
        if (message === null || socket !== current) return; // unknown frame, or a stale socket
        if (message.type === "snapshot") attempt = 0; // a server that accepts and drops us still backs off
        this.#apply(message);
      };
      current.onclose = (event: CloseEvent) => {
        if (socket !== current) return;
        socket = null;
        void closed(opened, event.code);
      };
    };

    const closed = async (opened: boolean, code: number): Promise<void> => {
      if (stopped) return;
      this.#status = "offline";
      if (!opened || AUTH_CLOSE_CODES.has(code)) {
        const active = await sessionActive().catch(() => null);
        if (stopped) return;
        if (active === false) {
          stopped = true;
          onUnauthorized();
          return;
        }
      }
      const base = BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)] ?? 30_000;
      attempt += 1;
      clearTimeout(timer);
      timer = setTimeout(connect, base * (0.75 + Math.random() * 0.5));
    };

    const retrySoon = (): void => {
      if (socket === null && !stopped) connect();
    };
    const onVisible = (): void => {
      if (document.visibilityState === "visible") retrySoon();
    };
    window.addEventListener("online", retrySoon);
    document.addEventListener("visibilitychange", onVisible);
    this.#reconnect = retrySoon;

    connect();

    return () => {
      stopped = true;
      clearTimeout(timer);
      window.removeEventListener("online", retrySoon);
      document.removeEventListener("visibilitychange", onVisible);
      if (this.#reconnect === retrySoon) this.#reconnect = null;
      const open = socket;
      socket = null;
      open?.close(1000, "dashboard closed");
    };
  }
}
