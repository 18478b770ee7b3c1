import type { UsersStore } from "../store/users-queries";
import { hashPassword, verifyPassword, type ScryptParams } from "./password-hash";
import {
  checkUsername,
  isTimeZone,
  passwordProblem,
  type UserLang,
  type UserRecord,
  type UserRole,
} from "./user-record";

/**
 * Every change to users, with the rules the API and the CLI share: names and
 * passwords are checked, passwords are hashed before they reach the store, and
 * the last enabled admin can be neither removed, demoted nor disabled (else
 * nobody could manage users any more from the dashboard).
 *
 * Changes are read-modify-write, so within one process they run one at a
 * time (two quick changes of one user, say language then time zone, must not
 * lose the first). Across processes (the CLI beside a server-backed
 * dashboard) the later write wins; changes are rare and made by people.
 */

export type UserProblem = "invalid" | "exists" | "not-found" | "last-admin" | "wrong-password";

export class UserError extends Error {
  override readonly name = "UserError";
  constructor(
    readonly problem: UserProblem,
    message: string,
  ) {
    super(message);
  }
}
export const isUserError = (e: unknown): e is UserError => e instanceof Error && e.name === "UserError";

/** What an admin may change of a user. */
export interface UserChange {
  role?: UserRole;
  disabled?: boolean;
  password?: string;
  lang?: UserLang | null;
  timeZone?: string | null;
}

/** What users may change of themselves; the password only with the current one. */
export interface OwnChange {
  lang?: UserLang | null;
  timeZone?: string | null;
  password?: { current: string; next: string };
}

export interface UserAdminDeps {
  store: UsersStore;
  now(): number;
  /** Told after every change, so caches (the dashboard's user list) refresh at once. */
  changed?(): void;
  /** scrypt cost of new hashes; default DEFAULT_SCRYPT (OWASP). Lower only for slow hardware. */
  params?: ScryptParams;
}

export class UserAdmin {
  readonly #deps: UserAdminDeps;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(deps: UserAdminDeps) {
    this.#deps = deps;
  }

  list(): Promise<UserRecord[]> {
    return this.#deps.store.users();
  }

  async get(username: string): Promise<UserRecord | null> {
    const name = checkUsername(username);
    return name.ok ? this.#deps.store.user(name.username) : null;
  }

  add(input: { username: string; role: UserRole; password: string; lang?: UserLang | null; timeZone?: string | null }): Promise<UserRecord> {
    return this.#serial(() => this.#add(input));
  }

  update(username: string, change: UserChange): Promise<UserRecord> {
    return this.#serial(() => this.#update(username, change));
  }

  /** A user's own settings; a new password needs the current one. */
  updateOwn(username: string, change: OwnChange): Promise<UserRecord> {
    return this.#serial(() => this.#updateOwn(username, change));
  }

  remove(username: string): Promise<void> {
    return this.#serial(() => this.#remove(username));
  }

  /** Stores a new hash of the same password (after a sign-in with outdated parameters). */
  rehash(username: string, password: string): Promise<void> {
    return this.#serial(() => this.#rehash(username, password));
  }

  /** Runs `change` after every change started before it, whether those worked or not. */
  #serial<T>(change: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(change, change);
    this.#queue = run.catch(() => {});
    return run;
  }

  async #add(input: { username: string; role: UserRole; password: string; lang?: UserLang | null; timeZone?: string | null }): Promise<UserRecord> {
    const name = checkUsername(input.username);
    if (!name.ok) throw new UserError("invalid", name.problem);
    checkPassword(input.password);
    checkZone(input.timeZone);
    if ((await this.#deps.store.user(name.username)) !== null) throw new UserError("exists", `user "${name.username}" exists already`);
    const now = this.#deps.now();
    const user: UserRecord = {
      username: name.username,
      role: input.role,
      passwordHash: await hashPassword(input.password, this.#deps.params),
      passwordSetAt: now,
      lang: input.lang ?? null,
      timeZone: input.timeZone ?? null,
      disabled: false,
      createdAt: now,
      updatedAt: now,
    };
    await this.#save(user);
    return user;
  }

  async #update(username: string, change: UserChange): Promise<UserRecord> {
    const user = await this.#existing(username);
    if (change.password !== undefined) checkPassword(change.password);
    checkZone(change.timeZone);
    const losesAdmin =
      user.role === "admin" && !user.disabled && ((change.role !== undefined && change.role !== "admin") || change.disabled === true);
    if (losesAdmin) await this.#keepAnAdmin(user.username, change.disabled === true ? "disable" : "demote");
    const next: UserRecord = {
      ...user,
      ...(change.role !== undefined ? { role: change.role } : {}),
      ...(change.disabled !== undefined ? { disabled: change.disabled } : {}),
      ...(change.lang !== undefined ? { lang: change.lang } : {}),
      ...(change.timeZone !== undefined ? { timeZone: change.timeZone } : {}),
      ...(change.password !== undefined
        ? { passwordHash: await hashPassword(change.password, this.#deps.params), passwordSetAt: this.#passwordTime(user) }
        : {}),
      updatedAt: this.#deps.now(),
    };
    await this.#save(next);
    return next;
  }

  async #updateOwn(username: string, change: OwnChange): Promise<UserRecord> {
    const user = await this.#existing(username);
    checkZone(change.timeZone);
    let passwordHash = user.passwordHash;
    let passwordSetAt = user.passwordSetAt;
    if (change.password !== undefined) {
      checkPassword(change.password.next);
      if (!(await verifyPassword(change.password.current, user.passwordHash)))
        throw new UserError("wrong-password", "the current password is not right");
      passwordHash = await hashPassword(change.password.next, this.#deps.params);
      passwordSetAt = this.#passwordTime(user);
    }
    const next: UserRecord = {
      ...user,
      ...(change.lang !== undefined ? { lang: change.lang } : {}),
      ...(change.timeZone !== undefined ? { timeZone: change.timeZone } : {}),
      passwordHash,
      passwordSetAt,
      updatedAt: this.#deps.now(),
    };
    await this.#save(next);
    return next;
  }

  async #remove(username: string): Promise<void> {
    const user = await this.#existing(username);
    if (user.role === "admin" && !user.disabled) await this.#keepAnAdmin(user.username, "remove");
    await this.#deps.store.removeUser(user.username, this.#deps.now());
    this.#deps.changed?.();
  }

  async #rehash(username: string, password: string): Promise<void> {
    const user = await this.#deps.store.user(username);
    if (user === null) return;
    await this.#save({ ...user, passwordHash: await hashPassword(password, this.#deps.params), updatedAt: this.#deps.now() });
  }

  /** Now, but always later than the password it replaces, so the sessions tied to that one end. */
  #passwordTime(user: UserRecord): number {
    return Math.max(this.#deps.now(), user.passwordSetAt + 1);
  }

  async #existing(username: string): Promise<UserRecord> {
    const user = await this.get(username);
    if (user === null) throw new UserError("not-found", `no user "${username}"`);
    return user;
  }

  async #keepAnAdmin(username: string, what: "remove" | "demote" | "disable"): Promise<void> {
    const others = (await this.#deps.store.users()).filter((u) => u.role === "admin" && !u.disabled && u.username !== username);
    if (others.length === 0)
      throw new UserError("last-admin", `cannot ${what} "${username}": it is the last admin (make another admin first)`);
  }

  async #save(user: UserRecord): Promise<void> {
    await this.#deps.store.saveUser(user);
    this.#deps.changed?.();
  }
}

function checkPassword(password: string): void {
  const problem = passwordProblem(password);
  if (problem !== null) throw new UserError("invalid", problem);
}

function checkZone(zone: string | null | undefined): void {
  if (zone !== undefined && zone !== null && !isTimeZone(zone)) throw new UserError("invalid", `"${zone}" is not a time zone (e.g. Europe/Warsaw)`);
}
