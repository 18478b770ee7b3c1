/**
 * Who is signed in, as far as the browser can tell: asked of API.me on load,
 * set by signing in and out, and dropped when any call or the live socket
 * learns that the session is gone. It also holds the user's role (what the
 * UI offers; the server enforces it anyway) and the language and time zone
 * they keep on the server, so both follow them to any browser.
 */
import { createContext } from "svelte";
import type { MeProfile, Role, UiLang } from "../../protocol";
import type { MessageKey, MessageParams } from "./messages";
import { isRequestError, signIn, signOut } from "./api";
import { fetchProfile, updateProfile } from "./users-api";

const RANK: Record<Role, number> = { viewer: 0, responder: 1, admin: 2 };

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
  role: Role | null = $state(null);
  /** The language the user keeps on the server; null: not chosen yet. */
  lang: UiLang | null = $state(null);
  /** The user's time zone for dates; null: the browser's own. */
  timeZone: string | null = $state(null);
  /** Why the sign-in view is showing, or what went wrong there. */
  notice: Notice | null = $state(null);
  busy = $state(false);
  /** Saves run one after another, so the last answer holds every change (language, then time zone). */
  #saving: Promise<unknown> = Promise.resolve();

  /** Asks the server whether this browser already has a session. */
  async check(): Promise<void> {
    this.state = "checking";
    try {
      this.#settle(await fetchProfile());
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
      const me = await fetchProfile();
      if (me === null) {
        this.notice = { key: "signIn.error.cookie" };
        return false;
      }
      this.#settle(me);
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

  /** Whether the user's role is at least `minimum` (responder acts on incidents and mentions; admin manages users). */
  can(minimum: Role): boolean {
    return this.role !== null && RANK[this.role] >= RANK[minimum];
  }

  /** Keeps the user's language (or time zone) on the server; false when it could not be saved. */
  savePreferences(change: { lang?: UiLang | null; timeZone?: string | null }): Promise<boolean> {
    const save = async (): Promise<boolean> => {
      if (this.state !== "signed-in") return false;
      try {
        this.#apply(await updateProfile(change));
        return true;
      } catch (err) {
        if (isRequestError(err) && err.status === 401) this.expire();
        return false;
      }
    };
    const run = this.#saving.then(save, save);
    this.#saving = run;
    return run;
  }

  #settle(me: MeProfile | null): void {
    this.username = me?.username ?? null;
    if (me === null) {
      this.role = null;
      this.lang = null;
      this.timeZone = null;
    } else {
      this.#apply(me);
    }
    this.state = me === null ? "signed-out" : "signed-in";
  }

  #apply(me: MeProfile): void {
    this.role = me.role;
    this.lang = me.lang;
    this.timeZone = me.timeZone;
  }
}

/** Components that offer actions read the one Session that App.svelte provides (to show them only to who may use them). */
export const [getSession, setSession] = createContext<Session>();
