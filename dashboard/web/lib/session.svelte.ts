/**
 * Who is signed in, as far as the browser can tell: asked of API.me on load,
 * set by signing in and out, and dropped when any call or the live socket
 * learns that the session is gone.
 */
import type { MessageKey, MessageParams } from "./messages";
import { fetchMe, isRequestError, signIn, signOut } from "./api";

export type SessionState = "checking" | "signed-out" | "signed-in";

/** A message for the sign-in view, as a catalog key so it follows the UI language. */
export interface Notice {
  key: MessageKey;
  params?: MessageParams;
}

function signInProblem(err: unknown): Notice {
  if (!isRequestError(err) || err.status === null) return { key: "signIn.error.network" };
  if (err.status === 401) return { key: "signIn.error.invalid" };
  if (err.status === 429) {
    return err.retryAfterSeconds === null
      ? { key: "signIn.error.rateLimited" }
      : { key: "signIn.error.rateLimitedFor", params: { seconds: err.retryAfterSeconds } };
  }
  return { key: "signIn.error.server", params: { status: err.status } };
}

export class Session {
  state: SessionState = $state("checking");
  username: string | null = $state(null);
  /** Why the sign-in view is showing, or what went wrong there. */
  notice: Notice | null = $state(null);
  busy = $state(false);

  /** Asks the server whether this browser already has a session. */
  async check(): Promise<void> {
    this.state = "checking";
    try {
      const me = await fetchMe();
      this.#settle(me?.username ?? null);
    } catch (err) {
      this.#settle(null);
      this.notice = signInProblem(err);
    }
  }

  async signIn(username: string, password: string): Promise<boolean> {
    this.busy = true;
    this.notice = null;
    try {
      await signIn({ username, password });
      // Ask back: a cookie the browser refused (e.g. Secure over plain http) shows up here, not later.
      const me = await fetchMe();
      if (me === null) {
        this.notice = { key: "signIn.error.cookie" };
        return false;
      }
      this.#settle(me.username);
      return true;
    } catch (err) {
      this.notice = signInProblem(err);
      return false;
    } finally {
      this.busy = false;
    }
  }

  /** Ends the session; false (still signed in) when the server could not be told. */
  async signOut(): Promise<boolean> {
    this.busy = true;
    try {
      await signOut();
    } catch (err) {
      // 401: the session was already gone, which is what we wanted.
      if (!(isRequestError(err) && err.status === 401)) return false;
    } finally {
      this.busy = false;
    }
    this.#settle(null);
    this.notice = null;
    return true;
  }

  /** The server no longer knows us (a 401 from a call or the live socket). */
  expire(): void {
    if (this.state !== "signed-in") return;
    this.#settle(null);
    this.notice = { key: "signIn.sessionEnded" };
  }

  #settle(username: string | null): void {
    this.username = username;
    this.state = username === null ? "signed-out" : "signed-in";
  }
}
