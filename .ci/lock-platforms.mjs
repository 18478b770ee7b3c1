#!/usr/bin/env node
// chdb lists one optional native package per platform. The registry mirror
// this project installs from serves only the linux-x64 one, so `npm install`
// leaves the others out of package-lock.json and `npm ci` then refuses the
// lock as out of sync. This puts the missing entries back, marked optional and
// platform-bound, so npm ci skips them without fetching. Run it after
// `npm install` whenever the lock is rewritten (a test checks it was).
import { readFileSync, writeFileSync } from "node:fs";

const LOCK = new URL("../package-lock.json", import.meta.url);
const PLATFORMS = {
  "@chdb/lib-darwin-arm64": { os: ["darwin"], cpu: ["arm64"] },
  "@chdb/lib-darwin-x64": { os: ["darwin"], cpu: ["x64"] },
  "@chdb/lib-linux-arm64-gnu": { os: ["linux"], cpu: ["arm64"] },
  "@chdb/lib-linux-x64-gnu": { os: ["linux"], cpu: ["x64"] },
};

const lock = JSON.parse(readFileSync(LOCK, "utf8"));
const wanted = lock.packages["node_modules/chdb"]?.optionalDependencies ?? {};
let added = 0;
for (const [name, version] of Object.entries(wanted)) {
  const key = `node_modules/${name}`;
  if (lock.packages[key] || !PLATFORMS[name]) continue;
  lock.packages[key] = { version, ...PLATFORMS[name], license: "Apache-2.0", optional: true };
  added++;
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : 1)));
writeFileSync(LOCK, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: ${added} platform entr${added === 1 ? "y" : "ies"} added`);
