import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import type { Store } from "../store/store";
import { isUserError, UserAdmin } from "../users/user-admin";
import { isUserLang, isUserRole, type UserRecord } from "../users/user-record";
import { EX_CONFIG, loadCommandConfig } from "./command-config";
import { openConfiguredStore } from "../store/configured-store";

export const USERS_USAGE = `usage:
  earshot users add NAME --role viewer|responder|admin [--password-stdin] [--lang en|pl|ru] [--time-zone ZONE] [--config FILE]
  earshot users list [--json] [--config FILE]
  earshot users remove NAME [--config FILE]
  earshot users set-role NAME viewer|responder|admin [--config FILE]
  earshot users set-password NAME [--password-stdin] [--config FILE]
  earshot users disable NAME | enable NAME [--config FILE]
  Without --password-stdin a password is made and printed once.
`;

export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
}

/**
 * `earshot users`: the dashboard's users, in the configured store, with the
 * same rules as the Users view (pipeline/users/user-admin.ts: the last admin
 * stays). With the embedded store run it while Earshot is stopped (chDB holds
 * its directory for one process); with a ClickHouse server a running
 * dashboard picks the change up within its re-read interval (5 s).
 */
export async function runUsersCommand(
  args: string[],
  io: CommandIo,
  env: NodeJS.ProcessEnv = process.env,
  now: () => number = Date.now,
  readStdin: () => Promise<string> = stdinText,
): Promise<number> {
  const [action, ...rest] = args;
  let values: { role?: string; "password-stdin"?: boolean; lang?: string; "time-zone"?: string; config?: string; json?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        role: { type: "string" },
        "password-stdin": { type: "boolean" },
        lang: { type: "string" },
        "time-zone": { type: "string" },
        config: { type: "string", short: "c" },
        json: { type: "boolean" },
      },
    }));
  } catch (err) {
    io.err(`earshot users: ${(err as Error).message}\n${USERS_USAGE}`);
    return 2;
  }
  const actions = ["add", "list", "remove", "set-role", "set-password", "disable", "enable"];
  if (action === undefined || !actions.includes(action)) {
    io.err(USERS_USAGE);
    return 2;
  }
  const name = positionals[0];
  if (action !== "list" && name === undefined) {
    io.err(`earshot users ${action}: give the user's name\n${USERS_USAGE}`);
    return 2;
  }
  const role = action === "set-role" ? positionals[1] : values.role;
  if ((action === "add" || action === "set-role") && !isUserRole(role)) {
    io.err(`earshot users ${action}: the role must be viewer, responder or admin\n`);
    return 2;
  }
  if (values.lang !== undefined && !isUserLang(values.lang)) {
    io.err(`earshot users ${action}: --lang must be en, pl or ru\n`);
    return 2;
  }

  let password: string | null = null;
  let generated = false;
  if (action === "add" || action === "set-password") {
    if (values["password-stdin"]) {
      // One line; the newline the shell or a pipe adds is not part of the password.
      password = (await readStdin()).replace(/\r?\n$/, "");
    } else {
      password = randomBytes(12).toString("base64url");
      generated = true;
    }
  }

  const loaded = loadCommandConfig(values.config ?? null, env, io);
  if (loaded === EX_CONFIG) return EX_CONFIG;
  const store: Store = await openConfiguredStore(loaded);
  const admin = new UserAdmin({ store, now });
  try {
    switch (action) {
      case "add": {
        const user = await admin.add({
          username: name!,
          role: role as UserRecord["role"],
          password: password!,
          lang: (values.lang as UserRecord["lang"]) ?? null,
          timeZone: values["time-zone"] ?? null,
        });
        io.out(`added ${user.username} (${user.role})${generated ? `; password: ${password}` : ""}\n`);
        return 0;
      }
      case "list": {
        const users = await admin.list();
        if (values.json) {
          io.out(`${JSON.stringify(users.map(({ passwordHash: _hash, ...u }) => u))}\n`);
        } else if (users.length === 0) {
          io.out("no users\n");
        } else {
          io.out(
            users
              .map((u) => [u.username, u.role, u.disabled ? "disabled" : "enabled", u.lang ?? "-", u.timeZone ?? "-"].join("\t"))
              .join("\n") + "\n",
          );
        }
        return 0;
      }
      case "remove":
        await admin.remove(name!);
        io.out(`removed ${name}\n`);
        return 0;
      case "set-role": {
        const user = await admin.update(name!, { role: role as UserRecord["role"] });
        io.out(`${user.username} is now ${user.role}\n`);
        return 0;
      }
      case "set-password":
        await admin.update(name!, { password: password! });
        io.out(`new password for ${name}${generated ? `: ${password}` : " set"}\n`);
        return 0;
      default: {
        const user = await admin.update(name!, { disabled: action === "disable" });
        io.out(`${user.username} ${user.disabled ? "disabled" : "enabled"}\n`);
        return 0;
      }
    }
  } catch (err) {
    if (isUserError(err)) {
      io.err(`earshot users ${action}: ${err.message}\n`);
      return err.problem === "invalid" ? 2 : 1;
    }
    throw err;
  } finally {
    await store.close();
  }
}

async function stdinText(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
