/**
 * A dashboard user as Earshot keeps it (table `users`, migration 0013), and
 * the checks every way of changing one (API, CLI, first start) shares.
 */

/** viewer: reads; responder: also acts on incidents and mentions; admin: also manages users. */
export type UserRole = "viewer" | "responder" | "admin";
export const USER_ROLES: readonly UserRole[] = ["viewer", "responder", "admin"];

/** The UI languages a user can choose. */
export type UserLang = "en" | "pl" | "ru";
export const USER_LANGS: readonly UserLang[] = ["en", "pl", "ru"];

export interface UserRecord {
  /** NFC-normalised; the key. */
  username: string;
  role: UserRole;
  /** Self-describing scrypt hash (pipeline/users/password-hash.ts); never the password. */
  passwordHash: string;
  /** Epoch ms the password was last set (a rehash keeps it): sessions are tied to it, so setting a password ends older sessions. */
  passwordSetAt: number;
  /** Null: not chosen yet (the browser's preference applies). */
  lang: UserLang | null;
  /** An IANA time zone; null: the browser's own. */
  timeZone: string | null;
  /** A disabled user cannot sign in, and their sessions stop working. */
  disabled: boolean;
  /** Epoch ms. */
  createdAt: number;
  /** Epoch ms. */
  updatedAt: number;
}

export const MAX_USERNAME_CHARS = 64;
export const MIN_PASSWORD_CHARS = 8;
export const MAX_PASSWORD_CHARS = 1_024;
const USERNAME = /^[\p{L}\p{N}][\p{L}\p{N}._@-]*$/u;

export const isUserRole = (v: unknown): v is UserRole => typeof v === "string" && (USER_ROLES as readonly string[]).includes(v);
export const isUserLang = (v: unknown): v is UserLang => typeof v === "string" && (USER_LANGS as readonly string[]).includes(v);

/** The username as stored (NFC), or a reason it cannot be one. */
export function checkUsername(name: string): { ok: true; username: string } | { ok: false; problem: string } {
  const username = name.normalize("NFC");
  if (username.length === 0 || username.length > MAX_USERNAME_CHARS)
    return { ok: false, problem: `a username must be 1–${MAX_USERNAME_CHARS} characters` };
  if (!USERNAME.test(username))
    return { ok: false, problem: "a username is letters and digits, with . _ @ - inside (no spaces)" };
  return { ok: true, username };
}

/** Null when the password is acceptable, else why not. */
export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_CHARS) return `a password must have at least ${MIN_PASSWORD_CHARS} characters`;
  if (password.length > MAX_PASSWORD_CHARS) return `a password may have at most ${MAX_PASSWORD_CHARS} characters`;
  return null;
}

/** True for an IANA time zone name the runtime knows (Intl is the judge, as it is the formatter). */
export function isTimeZone(zone: string): boolean {
  if (zone.length === 0 || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
