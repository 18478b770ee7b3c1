import { randomBytes } from "node:crypto";
import type { UsersStore } from "../store/users-queries";
import { hashPassword, type ScryptParams } from "./password-hash";
import { checkUsername, type UserRecord } from "./user-record";

/**
 * First start: when the store has no enabled admin, make one from
 * EARSHOT_ADMIN_USER / EARSHOT_ADMIN_PASSWORD, or with a one-off password that
 * start-up prints. Once an admin exists this does nothing, so a password
 * changed in the dashboard or with `earshot users` is never overwritten by the
 * environment. (It is also the way back in: with every admin removed or
 * disabled, the next start makes the named one an admin again.)
 */

export interface BootstrapResult {
  /** False: an admin existed, nothing was changed. */
  created: boolean;
  username: string;
  /** The one-off password made now (print it once); null when it came from the environment or nothing was made. */
  generatedPassword: string | null;
}

export async function bootstrapAdmin(
  store: UsersStore,
  admin: { username: string; password: string | null },
  now: number,
): Promise<BootstrapResult> {
  const name = checkUsername(admin.username);
  if (!name.ok) throw new Error(`[earshot] [users] EARSHOT_ADMIN_USER: ${name.problem}`);
  const users = await store.users();
  if (users.some((u) => u.role === "admin" && !u.disabled)) return { created: false, username: name.username, generatedPassword: null };
  const generatedPassword = admin.password === null ? randomBytes(12).toString("base64url") : null;
  const existing = users.find((u) => u.username === name.username);
  await store.saveUser({
    username: name.username,
    role: "admin",
    passwordHash: await hashPassword(admin.password ?? generatedPassword!),
    passwordSetAt: Math.max(now, (existing?.passwordSetAt ?? 0) + 1),
    lang: existing?.lang ?? null,
    timeZone: existing?.timeZone ?? null,
    disabled: false,
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  });
  return { created: true, username: name.username, generatedPassword };
}

/**
 * Makes each given user that the store does not hold yet (default role
 * admin). A stored user is left as it is, so a password or role changed since
 * is kept. For users handed to the dashboard in code (tests, embedding).
 */
export async function ensureUsers(
  store: UsersStore,
  users: readonly { username: string; password: string; role?: UserRecord["role"] }[],
  now: number,
  params?: ScryptParams,
): Promise<void> {
  const seen = new Set<string>();
  for (const u of users) {
    const name = checkUsername(u.username);
    if (!name.ok) throw new Error(`[earshot] [users] "${u.username}": ${name.problem}`);
    if (u.password === "") throw new Error(`[earshot] [users] "${u.username}" has an empty password`);
    if (seen.has(name.username)) throw new Error(`[earshot] [users] user "${name.username}" is given twice`);
    seen.add(name.username);
    if ((await store.user(name.username)) !== null) continue;
    await store.saveUser({
      username: name.username,
      role: u.role ?? "admin",
      passwordHash: await hashPassword(u.password, params),
      passwordSetAt: now,
      lang: null,
      timeZone: null,
      disabled: false,
      createdAt: now,
      updatedAt: now,
    });
  }
}
