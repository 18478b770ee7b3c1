/**
 * The users calls the dashboard makes: the signed-in user's own profile
 * (language, time zone, password) and, for admins, the user list. Failures
 * are RequestErrors, as in api.ts.
 */
import {
  API,
  ROLES,
  type MeChangeRequest,
  type MeProfile,
  type NewUserReply,
  type NewUserRequest,
  type Role,
  type UiLang,
  type UserChangeRequest,
  type UserView,
} from "../../protocol";
import { callJson, isUnauthorized, RequestError } from "./api";

const UI_LANGS: readonly string[] = ["en", "pl", "ru"];
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
const isRole = (v: unknown): v is Role => (ROLES as readonly unknown[]).includes(v);
const langOrNull = (v: unknown): UiLang | null => (typeof v === "string" && UI_LANGS.includes(v) ? (v as UiLang) : null);
const stringOrNull = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);


export function toProfile(body: unknown): MeProfile {
  if (!isRecord(body) || typeof body.username !== "string") throw new RequestError(200, null, `${API.me}: no username in the answer`);
  return {
    username: body.username,
    role: isRole(body.role) ? body.role : "viewer",
    lang: langOrNull(body.lang),
    timeZone: stringOrNull(body.timeZone),
  };
}

function toUserView(body: unknown): UserView | null {
  if (!isRecord(body) || typeof body.username !== "string" || !isRole(body.role)) return null;
  return {
    username: body.username,
    role: body.role,
    lang: langOrNull(body.lang),
    timeZone: stringOrNull(body.timeZone),
    disabled: body.disabled === true,
    createdAt: typeof body.createdAt === "number" ? body.createdAt : 0,
    updatedAt: typeof body.updatedAt === "number" ? body.updatedAt : 0,
  };
}

/** Who is signed in with their settings, or null when no session is active (401). */
export async function fetchProfile(): Promise<MeProfile | null> {
  try {
    return toProfile(await callJson("GET", API.me));
  } catch (err) {
    if (isUnauthorized(err)) return null;
    throw err;
  }
}

/** Saves the user's own settings; answers them as stored. */
export async function updateProfile(change: MeChangeRequest): Promise<MeProfile> {
  return toProfile(await callJson("PATCH", API.me, change));
}

export async function listUsers(): Promise<UserView[]> {
  const body = await callJson("GET", API.users);
  if (!Array.isArray(body)) throw new RequestError(200, null, `${API.users}: the answer is not a list`);
  return body.map(toUserView).filter((u): u is UserView => u !== null);
}

export async function addUser(request: NewUserRequest): Promise<NewUserReply> {
  const body = await callJson("POST", API.users, request);
  const user = isRecord(body) ? toUserView(body.user) : null;
  if (user === null || !isRecord(body)) throw new RequestError(201, null, `${API.users}: the answer is not a user`);
  return { user, generatedPassword: typeof body.generatedPassword === "string" ? body.generatedPassword : null };
}

export async function changeUser(username: string, change: UserChangeRequest): Promise<UserView> {
  const user = toUserView(await callJson("PATCH", API.user(username), change));
  if (user === null) throw new RequestError(200, null, `${API.user(username)}: the answer is not a user`);
  return user;
}

export async function removeUser(username: string): Promise<void> {
  await callJson("DELETE", API.user(username));
}
