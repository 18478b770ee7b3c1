import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { isUserError, type UserAdmin, type UserChange, type OwnChange } from "../../pipeline/users/user-admin";
import { isUserLang, isUserRole, type UserRecord } from "../../pipeline/users/user-record";
import { API, type MeProfile, type NewUserReply, type UserView } from "../protocol";
import type { ApiHandler } from "./api";
import type { Auth } from "./auth";
import { HttpError, readJsonBody, sendJson, sendNoContent } from "./http";
import { requireRole } from "./roles";

/**
 * Users: admins list, add, change and remove them (/api/users); everyone
 * changes their own language, time zone and password (PATCH /api/me). Every
 * change is written to the store, then the sign-in cache is re-read before the
 * answer, so it applies to the very next request (a removed or disabled
 * user's sessions end, a new role counts at once).
 */

export interface UserRoutesDeps {
  admin: UserAdmin;
  auth: Auth;
}

const USER_PATH = /^\/api\/users\/([^/]+)$/;
const MAX_BODY_BYTES = 8 * 1024;

export function createUserRoutes(deps: UserRoutesDeps): ApiHandler {
  const { admin, auth } = deps;
  return async (req, res, url, session) => {
    const path = url.pathname;
    if (path === API.me) {
      if (req.method !== "PATCH") throw new HttpError(405, "use GET or PATCH here", { Allow: "GET, HEAD, PATCH" });
      const change = ownChange(await body(req));
      if (change.password !== undefined && !(await auth.confirmPassword(session.username, change.password.current))) {
        throw new HttpError(403, "the current password is not right");
      }
      await mapped(() => admin.updateOwn(session.username, change));
      await auth.refreshUsers();
      const headers: Record<string, string> = {};
      // The new password ends the sessions opened with the old one; this one goes on with a fresh cookie.
      if (change.password !== undefined) headers["Set-Cookie"] = auth.sessionCookie(auth.issue(session.username).token);
      const me: MeProfile = auth.profile(session);
      sendJson(res, 200, me, headers);
      return true;
    }
    if (path === API.users) {
      requireRole(session, "admin");
      if (req.method === "GET" || req.method === "HEAD") {
        const users = await admin.list();
        sendJson(res, 200, users.map(toUserView) satisfies UserView[]);
        return true;
      }
      if (req.method !== "POST") throw new HttpError(405, "use GET or POST here", { Allow: "GET, HEAD, POST" });
      const input = newUser(await body(req));
      const generatedPassword = input.password === undefined ? randomBytes(12).toString("base64url") : null;
      const user = await mapped(() => admin.add({ ...input, password: input.password ?? generatedPassword! }));
      await auth.refreshUsers();
      const reply: NewUserReply = { user: toUserView(user), generatedPassword };
      sendJson(res, 201, reply);
      return true;
    }
    const one = USER_PATH.exec(path);
    if (one) {
      requireRole(session, "admin");
      const username = decodeName(one[1]!);
      if (req.method === "PATCH") {
        const change = userChange(await body(req));
        const user = await mapped(() => admin.update(username, change));
        await auth.refreshUsers();
        sendJson(res, 200, toUserView(user) satisfies UserView);
        return true;
      }
      if (req.method === "DELETE") {
        await mapped(() => admin.remove(username));
        await auth.refreshUsers();
        sendNoContent(res);
        return true;
      }
      throw new HttpError(405, "use PATCH or DELETE here", { Allow: "PATCH, DELETE" });
    }
    return false;
  };
}

export function toUserView(u: UserRecord): UserView {
  return {
    username: u.username,
    role: u.role,
    lang: u.lang,
    timeZone: u.timeZone,
    disabled: u.disabled,
    createdAt: u.createdAt,
    updatedAt: u.updatedAt,
  };
}

function body(req: IncomingMessage): Promise<Record<string, unknown>> {
  return readJsonBody(req, MAX_BODY_BYTES).then((b) => {
    if (typeof b !== "object" || b === null || Array.isArray(b)) throw new HttpError(400, "the body must be a JSON object");
    return b as Record<string, unknown>;
  });
}

/** The rules' refusals as HTTP answers; anything else goes on as a 500. */
async function mapped<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (!isUserError(err)) throw err;
    const status = { invalid: 400, exists: 409, "not-found": 404, "last-admin": 409, "wrong-password": 403 }[err.problem];
    throw new HttpError(status, err.message);
  }
}

function decodeName(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, "the username is not valid URL encoding");
  }
}

function optionalString(b: Record<string, unknown>, name: string): string | undefined {
  const v = b[name];
  if (v === undefined) return undefined;
  if (typeof v !== "string") throw new HttpError(400, `${name} must be a string`);
  return v;
}

function langOf(b: Record<string, unknown>): { lang?: UserRecord["lang"] } {
  if (!("lang" in b)) return {};
  if (b.lang !== null && !isUserLang(b.lang)) throw new HttpError(400, "lang must be en, pl, ru or null");
  return { lang: b.lang };
}

function zoneOf(b: Record<string, unknown>): { timeZone?: string | null } {
  if (!("timeZone" in b)) return {};
  if (b.timeZone !== null && typeof b.timeZone !== "string") throw new HttpError(400, "timeZone must be a string or null");
  return { timeZone: b.timeZone === "" ? null : b.timeZone };
}

function newUser(b: Record<string, unknown>): { username: string; role: UserRecord["role"]; password?: string; lang?: UserRecord["lang"] } {
  const username = optionalString(b, "username");
  if (username === undefined) throw new HttpError(400, "username is required");
  if (!isUserRole(b.role)) throw new HttpError(400, "role must be viewer, responder or admin");
  const password = optionalString(b, "password");
  return { username, role: b.role, ...(password !== undefined ? { password } : {}), ...langOf(b) };
}

function userChange(b: Record<string, unknown>): UserChange {
  const change: UserChange = { ...langOf(b), ...zoneOf(b) };
  if ("role" in b) {
    if (!isUserRole(b.role)) throw new HttpError(400, "role must be viewer, responder or admin");
    change.role = b.role;
  }
  if ("disabled" in b) {
    if (typeof b.disabled !== "boolean") throw new HttpError(400, "disabled must be true or false");
    change.disabled = b.disabled;
  }
  const password = optionalString(b, "password");
  if (password !== undefined) change.password = password;
  return change;
}

function ownChange(b: Record<string, unknown>): OwnChange {
  const change: OwnChange = { ...langOf(b), ...zoneOf(b) };
  if ("password" in b) {
    const p = b.password;
    const ok = typeof p === "object" && p !== null && typeof (p as Record<string, unknown>).current === "string" && typeof (p as Record<string, unknown>).next === "string";
    if (!ok) throw new HttpError(400, 'password must be {"current": "…", "next": "…"}');
    change.password = p as { current: string; next: string };
  }
  return change;
}
