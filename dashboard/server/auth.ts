import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "../../collectors/source";
import { decoyHash, needsRehash, verifyPassword, type ScryptParams } from "../../pipeline/users/password-hash";
import type { UserDirectory } from "../../pipeline/users/user-directory";
import type { UserRecord } from "../../pipeline/users/user-record";
import type { Me, MeProfile, Role } from "../protocol";
import { HttpError, readJsonBody, sendError, sendJson, sendNoContent } from "./http";
import { clientAddress, type TrustedProxies } from "./client-address";
import { clientKey, LoginLimiter } from "./login-limiter";

/**
 * Who is signed in. Users live in the store (pipeline/users) and are read
 * through a UserDirectory kept fresh in memory; their passwords are scrypt
 * hashes (pipeline/users/password-hash.ts). A login compares in constant
 * time, and an unknown or disabled user costs the same scrypt as a known one.
 * A session is a signed, expiring token (HMAC-SHA256 over {user, session id,
 * expiry, password stamp}) in an HttpOnly, SameSite=Strict cookie. Every
 * request looks the user up again, so removing or disabling a user ends their
 * sessions, a role change applies at once, and a new password ends the
 * sessions made with the old one (the stamp no longer matches). Signing out
 * revokes the session id until it would have expired anyway.
 */

export interface Credentials {
  username: string;
  password: string;
  /** Default admin. */
  role?: Role;
}

export interface AuthOptions {
  /** The users, read from the store and kept fresh (see UserDirectory). */
  users: UserDirectory;
  /** Key for the session signatures; at least 32 characters. */
  sessionSecret: string;
  now(): number;
  log: Logger;
  /** Mark the cookie Secure (serve over HTTPS, directly or behind a proxy). */
  secureCookies: boolean;
  /** Reverse proxies whose X-Forwarded-For names the client (client-address.ts); none by default. */
  trustedProxies?: TrustedProxies;
  sessionTtlMs: number;
  loginLimit: { maxFailures: number; windowMs: number };
  /** scrypt cost of new hashes and of the decoy; default DEFAULT_SCRYPT (OWASP). */
  passwordParams?: ScryptParams;
  /** Stores a new hash of a password whose stored hash has outdated parameters (after a successful sign-in). */
  rehash?(username: string, password: string): Promise<void>;
}

export interface Session {
  username: string;
  /** The user's role now (looked up on every request, so a change applies at once). */
  role: Role;
  id: string;
  /** Epoch ms. */
  expiresAt: number;
  /** Ties the session to the password it was opened with. */
  stamp: string;
}

export const MAX_LOGIN_BODY_BYTES = 16 * 1024;
const MIN_SECRET_CHARS = 32;
const MAX_TOKEN_CHARS = 1_024;
const MAX_USERNAME_CHARS = 200;
const MAX_PASSWORD_CHARS = 1_024;

export async function createAuth(options: AuthOptions): Promise<Auth> {
  if (options.sessionSecret.length < MIN_SECRET_CHARS) {
    throw new Error(`[earshot] [dashboard] the session secret must be at least ${MIN_SECRET_CHARS} characters`);
  }
  await options.users.refresh();
  if (!options.users.all().some((u) => !u.disabled)) {
    throw new Error('[earshot] [dashboard] no dashboard users are configured: set EARSHOT_ADMIN_PASSWORD or run "earshot users add"');
  }
  return new Auth(options);
}

export class Auth {
  readonly #options: AuthOptions;
  /** Stands in for an unknown username so that a miss costs one scrypt too. */
  readonly #decoy: string;
  readonly #limiter: LoginLimiter;
  /** Signed-out session ids → when their token would have expired. */
  readonly #revoked = new Map<string, number>();
  readonly cookieName: string;

  constructor(options: AuthOptions) {
    this.#options = options;
    this.#decoy = decoyHash(options.passwordParams);
    this.#limiter = new LoginLimiter(options.loginLimit, options.now);
    // The __Host- prefix makes browsers refuse the cookie unless it is Secure,
    // host-only and Path=/, so a sibling subdomain cannot plant one.
    this.cookieName = options.secureCookies ? "__Host-earshot-session" : "earshot-session";
  }

  /** Reads the users from the store again (after a change through the API). */
  refreshUsers(): Promise<void> {
    return this.#options.users.refresh();
  }

  /** The username when the credentials are right and the user is enabled, else null. Same cost either way. */
  async verify(username: string, password: string): Promise<string | null> {
    const nameDigest = digest(username);
    let found: UserRecord | null = null;
    for (const u of this.#options.users.all()) {
      // No early exit: every user is compared whatever the result.
      const same = timingSafeEqual(digest(u.username), nameDigest);
      if (same && found === null) found = u;
    }
    const passwordOk = await verifyPassword(password, found?.passwordHash ?? this.#decoy);
    if (!passwordOk || found === null || found.disabled) return null;
    if (needsRehash(found.passwordHash, this.#options.passwordParams) && this.#options.rehash) {
      const user = found.username;
      this.#options.rehash(user, password).catch((err: unknown) => this.#options.log.warn({ err, username: user }, "password not rehashed"));
    }
    return found.username;
  }

  issue(username: string): { session: Session; token: string } {
    const user = this.#options.users.get(username);
    if (user === undefined || user.disabled) throw new Error(`[earshot] [dashboard] no enabled user "${username}"`);
    const session: Session = {
      username,
      role: user.role,
      id: randomBytes(16).toString("base64url"),
      expiresAt: this.#options.now() + this.#options.sessionTtlMs,
      stamp: this.#stamp(user),
    };
    const payload = Buffer.from(
      JSON.stringify({ u: session.username, s: session.id, e: session.expiresAt, p: session.stamp }),
    ).toString("base64url");
    return { session, token: `${payload}.${this.#sign(payload)}` };
  }

  /** The session a token stands for, if it is authentic, unexpired, not revoked and its user still exists, enabled, with the same password. */
  sessionFromToken(token: string): Session | null {
    if (token.length > MAX_TOKEN_CHARS) return null;
    const dot = token.indexOf(".");
    if (dot <= 0) return null;
    const payload = token.slice(0, dot);
    const given = Buffer.from(token.slice(dot + 1), "base64url");
    const expected = Buffer.from(this.#sign(payload), "base64url");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    } catch {
      return null;
    }
    if (typeof parsed !== "object" || parsed === null) return null;
    const { u, s, e, p } = parsed as Record<string, unknown>;
    if (typeof u !== "string" || typeof s !== "string" || typeof e !== "number" || typeof p !== "string") return null;
    const user = this.#options.users.get(u);
    if (user === undefined) return null;
    const session: Session = { username: u, role: user.role, id: s, expiresAt: e, stamp: p };
    return this.isLive(session) ? session : null;
  }

  sessionOf(req: IncomingMessage): Session | null {
    const token = readCookie(req.headers.cookie, this.cookieName);
    return token === null ? null : this.sessionFromToken(token);
  }

  /** Still valid now: not expired, not signed out, the user still there, enabled, and with the same password. */
  isLive(session: Session): boolean {
    const user = this.#options.users.get(session.username);
    return (
      user !== undefined &&
      !user.disabled &&
      session.stamp === this.#stamp(user) &&
      session.expiresAt > this.#options.now() &&
      !this.#revoked.has(session.id)
    );
  }

  /** The user's role now, or null when they are gone or disabled. */
  roleOf(username: string): Role | null {
    const user = this.#options.users.get(username);
    return user === undefined || user.disabled ? null : user.role;
  }

  /**
   * Checks a signed-in user's current password (before they change it).
   * Failures count against the user in the login limiter, so a stolen
   * session cannot be used to guess the password quickly.
   */
  async confirmPassword(username: string, password: string): Promise<boolean> {
    const key = `user:${username}`;
    const waitMs = this.#limiter.retryAfterMs(key);
    if (waitMs > 0) {
      throw new HttpError(429, "too many wrong passwords; try again later", { "Retry-After": String(Math.ceil(waitMs / 1000)) });
    }
    // Counted as failed until it passes, so confirmations sent at once cannot all get past the limit.
    const counted = this.#limiter.recordFailure(key);
    const ok = (await this.verify(username, password)) === username;
    if (ok) this.#limiter.forget(key, counted);
    return ok;
  }

  revoke(session: Session): void {
    const now = this.#options.now();
    for (const [id, expiresAt] of this.#revoked) if (expiresAt <= now) this.#revoked.delete(id);
    this.#revoked.set(session.id, session.expiresAt);
  }

  sessionCookie(token: string): string {
    const maxAge = Math.floor(this.#options.sessionTtlMs / 1000);
    return `${this.cookieName}=${token}; Max-Age=${maxAge}; ${this.#cookieAttributes()}`;
  }

  clearedCookie(): string {
    return `${this.cookieName}=; Max-Age=0; ${this.#cookieAttributes()}`;
  }

  /** POST /api/session: sign in. Limited per client address (IPv6 by its /64, see clientKey); every failure counts. */
  async login(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const address = clientAddress(req, this.#options.trustedProxies ?? []);
    const key = clientKey(address);
    if (this.#refusedByLimit(key, address, res)) return;
    const body = await readJsonBody(req, MAX_LOGIN_BODY_BYTES);
    const credentials = parseCredentials(body);
    // Checked again and counted as failed in the same tick, before the slow
    // password check: guesses sent at once cannot all start under the limit.
    if (this.#refusedByLimit(key, address, res)) return;
    const counted = this.#limiter.recordFailure(key);
    const username = await this.verify(credentials.username, credentials.password);
    if (username === null) {
      // The attempted name is not logged: people type passwords into it.
      this.#options.log.warn({ address }, "login failed");
      sendError(res, 401, "wrong username or password");
      return;
    }
    this.#limiter.forget(key, counted);
    const { token } = this.issue(username);
    this.#options.log.info({ username }, "signed in");
    sendNoContent(res, { "Set-Cookie": this.sessionCookie(token) });
  }

  /** Answers 429 (and returns true) when the client has used up its failed logins. */
  #refusedByLimit(key: string, address: string, res: ServerResponse): boolean {
    const waitMs = this.#limiter.retryAfterMs(key);
    if (waitMs === 0) return false;
    this.#options.log.warn({ address }, "login refused: too many failures");
    sendError(res, 429, "too many failed logins; try again later", { "Retry-After": String(Math.ceil(waitMs / 1000)) });
    return true;
  }

  /** DELETE /api/session: sign out (also fine when not signed in). */
  logout(req: IncomingMessage, res: ServerResponse): void {
    const session = this.sessionOf(req);
    if (session) {
      this.revoke(session);
      this.#options.log.info({ username: session.username }, "signed out");
    }
    sendNoContent(res, { "Set-Cookie": this.clearedCookie() });
  }

  /** GET /api/me: who, with the role and the settings they chose. */
  me(res: ServerResponse, session: Session): void {
    sendJson(res, 200, this.profile(session));
  }

  profile(session: Session): MeProfile {
    const user = this.#options.users.get(session.username);
    const me: Me = { username: session.username, role: session.role };
    return { ...me, lang: user?.lang ?? null, timeZone: user?.timeZone ?? null };
  }

  /**
   * A short MAC of when the user and their password were made: changes
   * whenever a password is set (not when it is merely rehashed with new
   * parameters) and when a removed name is made again.
   */
  #stamp(user: UserRecord): string {
    return createHmac("sha256", this.#options.sessionSecret)
      .update(`password:${user.username}\u0000${user.createdAt}\u0000${user.passwordSetAt}`)
      .digest("base64url")
      .slice(0, 22);
  }

  #sign(payload: string): string {
    return createHmac("sha256", this.#options.sessionSecret).update(payload).digest("base64url");
  }

  #cookieAttributes(): string {
    return `Path=/; HttpOnly; SameSite=Strict${this.#options.secureCookies ? "; Secure" : ""}`;
  }
}

function parseCredentials(body: unknown): Credentials {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new HttpError(400, "expected a JSON object {username, password}");
  }
  const { username, password } = body as Record<string, unknown>;
  if (typeof username !== "string" || username.length === 0 || username.length > MAX_USERNAME_CHARS) {
    throw new HttpError(400, `username must be a string of 1–${MAX_USERNAME_CHARS} characters`);
  }
  if (typeof password !== "string" || password.length === 0 || password.length > MAX_PASSWORD_CHARS) {
    throw new HttpError(400, `password must be a string of 1–${MAX_PASSWORD_CHARS} characters`);
  }
  return { username, password };
}

/** The value of cookie `name` in a Cookie header, or null. */
export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text.normalize("NFC"), "utf8").digest();
}
