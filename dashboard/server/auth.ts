import { createHash, createHmac, randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "../../collectors/source";
import type { Me, Role } from "../protocol";
import { HttpError, readJsonBody, sendError, sendJson, sendNoContent } from "./http";
import { LoginLimiter } from "./login-limiter";

/**
 * Who is signed in. Passwords are hashed with scrypt when the server starts
 * and the plain text is dropped; a login compares in constant time, and an
 * unknown user costs the same scrypt as a known one. A session is a signed,
 * expiring token (HMAC-SHA256 over {user, session id, expiry}) in an HttpOnly,
 * SameSite=Strict cookie; signing out revokes the session id until it would
 * have expired anyway.
 */

export interface Credentials {
  username: string;
  password: string;
  /** Default admin. */
  role?: Role;
}

export interface AuthOptions {
  users: readonly Credentials[];
  /** Key for the session signatures; at least 32 characters. */
  sessionSecret: string;
  now(): number;
  log: Logger;
  /** Mark the cookie Secure (serve over HTTPS, directly or behind a proxy). */
  secureCookies: boolean;
  sessionTtlMs: number;
  loginLimit: { maxFailures: number; windowMs: number };
}

export interface Session {
  username: string;
  /** The user's role now (looked up on every request, so a change applies at once). */
  role: Role;
  id: string;
  /** Epoch ms. */
  expiresAt: number;
}

export const MAX_LOGIN_BODY_BYTES = 16 * 1024;
const MIN_SECRET_CHARS = 32;
const MAX_TOKEN_CHARS = 1_024;
const MAX_USERNAME_CHARS = 200;
const MAX_PASSWORD_CHARS = 1_024;
const KEY_BYTES = 32;

export interface HashedUser {
  username: string;
  role: Role;
  nameDigest: Buffer;
  salt: Buffer;
  hash: Buffer;
}

export async function createAuth(options: AuthOptions): Promise<Auth> {
  if (options.sessionSecret.length < MIN_SECRET_CHARS) {
    throw new Error(`[earshot] [dashboard] the session secret must be at least ${MIN_SECRET_CHARS} characters`);
  }
  if (options.users.length === 0) throw new Error("[earshot] [dashboard] no dashboard users are configured");
  const names = new Set<string>();
  for (const u of options.users) {
    if (u.username === "" || u.password === "") {
      throw new Error("[earshot] [dashboard] a dashboard user has an empty username or password");
    }
    if (names.has(u.username)) throw new Error(`[earshot] [dashboard] dashboard user "${u.username}" is configured twice`);
    names.add(u.username);
  }
  const users = await Promise.all(
    options.users.map(async (u): Promise<HashedUser> => {
      const salt = randomBytes(16);
      return { username: u.username, role: u.role ?? "admin", nameDigest: digest(u.username), salt, hash: await hashPassword(u.password, salt) };
    }),
  );
  // Stands in for an unknown username so that a miss costs one scrypt too.
  const decoy: HashedUser = { username: "", role: "viewer", nameDigest: randomBytes(32), salt: randomBytes(16), hash: randomBytes(KEY_BYTES) };
  // Everything but the plain-text passwords goes on.
  const { users: _plain, ...rest } = options;
  return new Auth(rest, users, decoy);
}

export class Auth {
  readonly #options: Omit<AuthOptions, "users">;
  readonly #users: readonly HashedUser[];
  readonly #decoy: HashedUser;
  readonly #limiter: LoginLimiter;
  /** Signed-out session ids → when their token would have expired. */
  readonly #revoked = new Map<string, number>();
  readonly cookieName: string;

  /** Use `createAuth`, which hashes the passwords; this takes them hashed. */
  constructor(options: Omit<AuthOptions, "users">, users: readonly HashedUser[], decoy: HashedUser) {
    this.#options = options;
    this.#users = users;
    this.#decoy = decoy;
    this.#limiter = new LoginLimiter(options.loginLimit, options.now);
    // The __Host- prefix makes browsers refuse the cookie unless it is Secure,
    // host-only and Path=/, so a sibling subdomain cannot plant one.
    this.cookieName = options.secureCookies ? "__Host-earshot-session" : "earshot-session";
  }

  /** The username when the credentials are right, else null. Constant time in both. */
  async verify(username: string, password: string): Promise<string | null> {
    const nameDigest = digest(username);
    let found: HashedUser | null = null;
    for (const u of this.#users) {
      // No early exit: every user is compared whatever the result.
      const same = timingSafeEqual(u.nameDigest, nameDigest);
      if (same && found === null) found = u;
    }
    const candidate = found ?? this.#decoy;
    const derived = await hashPassword(password, candidate.salt);
    const passwordOk = timingSafeEqual(derived, candidate.hash);
    return passwordOk && found !== null ? found.username : null;
  }

  issue(username: string): { session: Session; token: string } {
    const session: Session = {
      username,
      role: this.#roleOf(username) ?? "viewer",
      id: randomBytes(16).toString("base64url"),
      expiresAt: this.#options.now() + this.#options.sessionTtlMs,
    };
    const payload = Buffer.from(JSON.stringify({ u: session.username, s: session.id, e: session.expiresAt })).toString(
      "base64url",
    );
    return { session, token: `${payload}.${this.#sign(payload)}` };
  }

  /** The session a token stands for, if it is authentic, unexpired, not revoked and its user still exists. */
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
    const { u, s, e } = parsed as Record<string, unknown>;
    if (typeof u !== "string" || typeof s !== "string" || typeof e !== "number") return null;
    const role = this.#roleOf(u);
    if (role === null) return null;
    const session: Session = { username: u, role, id: s, expiresAt: e };
    return this.isLive(session) ? session : null;
  }

  sessionOf(req: IncomingMessage): Session | null {
    const token = readCookie(req.headers.cookie, this.cookieName);
    return token === null ? null : this.sessionFromToken(token);
  }

  /** Still valid now: not expired, not signed out, user still configured. */
  isLive(session: Session): boolean {
    return (
      session.expiresAt > this.#options.now() &&
      !this.#revoked.has(session.id) &&
      this.#users.some((u) => u.username === session.username)
    );
  }

  #roleOf(username: string): Role | null {
    return this.#users.find((u) => u.username === username)?.role ?? null;
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

  /** POST /api/session: sign in. Limited per client address; every failure counts. */
  async login(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const address = req.socket.remoteAddress ?? "unknown";
    const waitMs = this.#limiter.retryAfterMs(address);
    if (waitMs > 0) {
      this.#options.log.warn({ address }, "login refused: too many failures");
      sendError(res, 429, "too many failed logins; try again later", {
        "Retry-After": String(Math.ceil(waitMs / 1000)),
      });
      return;
    }
    const body = await readJsonBody(req, MAX_LOGIN_BODY_BYTES);
    const credentials = parseCredentials(body);
    const username = await this.verify(credentials.username, credentials.password);
    if (username === null) {
      this.#limiter.recordFailure(address);
      // The attempted name is not logged: people type passwords into it.
      this.#options.log.warn({ address }, "login failed");
      sendError(res, 401, "wrong username or password");
      return;
    }
    const { token } = this.issue(username);
    this.#options.log.info({ username }, "signed in");
    sendNoContent(res, { "Set-Cookie": this.sessionCookie(token) });
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

  /** GET /api/me */
  me(res: ServerResponse, session: Session): void {
    const me: Me = { username: session.username, role: session.role };
    sendJson(res, 200, me);
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

/** Passwords are NFC-normalised so "ś" typed as one code point or two is the same password. */
function hashPassword(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize("NFC"), salt, KEY_BYTES, (err, key) => (err ? reject(err) : resolve(key)));
  });
}
