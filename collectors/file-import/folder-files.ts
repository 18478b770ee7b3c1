import { createHash } from "node:crypto";
import { constants, type Stats } from "node:fs";
import { copyFile, lstat, mkdir, open, readdir, realpath, rename, stat, unlink, type FileHandle } from "node:fs/promises";
import { extname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { ImportFileError } from "./import-file-error";

/**
 * The watched folder: which files in it match, whether each may be read, and
 * moving a finished file away. Only files directly inside the folder count;
 * subfolders are not searched (so a `moveTo` folder inside it is never read).
 */

/** A file that may be imported, identified by name, size and modification time. */
export interface FolderFile {
  name: string;
  /** The real path, symlinks resolved; always inside the folder. */
  path: string;
  size: number;
  mtimeMs: number;
  dev: number;
  ino: number;
  /** Hash of name + size + mtime: the file as it is now. A file that changes gets a new key. */
  key: string;
}

export interface RefusedFile {
  name: string;
  key: string;
  reason: string;
}

export const DEFAULT_PATTERN = "*.{jsonl,ndjson,csv,tsv}";

/**
 * A file-name pattern → a matcher: `*` any run of characters, `?` one, `{a,b}`
 * either; case-insensitive, because exports from Windows tools end in ".CSV".
 * Throws on a pattern with a folder in it.
 */
export function compilePattern(pattern: string): RegExp {
  if (/[\\/]/.test(pattern)) throw new Error("it has a folder in it; give only a file name pattern such as *.csv");
  let source = "";
  let inBraces = false;
  for (const ch of pattern) {
    if (ch === "*") source += "[^/]*";
    else if (ch === "?") source += "[^/]";
    else if (ch === "{" && !inBraces) {
      inBraces = true;
      source += "(?:";
    } else if (ch === "}" && inBraces) {
      inBraces = false;
      source += ")";
    } else if (ch === "," && inBraces) source += "|";
    else source += ch.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  if (inBraces) throw new Error("a \"{\" without its \"}\"");
  return new RegExp(`^${source}$`, "iu");
}

export function fileKey(name: string, size: number, mtimeMs: number): string {
  return createHash("sha1").update(`${name}\u0000${size}\u0000${Math.floor(mtimeMs)}`).digest("base64url").slice(0, 16);
}

/**
 * The matching files of `root` (a real path), oldest first. Hidden files are
 * left alone: tools write ".name.csv.tmp"-style files and rename them when done.
 * A symlink is followed only when it leads to a file inside `root`; one that
 * leads out, or any entry that is not a regular file (a FIFO would block the
 * read forever), is refused.
 */
export async function listFolder(root: string, match: RegExp): Promise<{ files: FolderFile[]; refused: RefusedFile[] }> {
  const files: FolderFile[] = [];
  const refused: RefusedFile[] = [];
  for (const entry of await readdir(root, { withFileTypes: true })) {
    const name = entry.name;
    if (name.startsWith(".") || !match.test(name)) continue;
    const full = join(root, name);
    let link: Stats;
    try {
      link = await lstat(full);
    } catch {
      continue; // removed between readdir and lstat
    }
    let path = full;
    let info = link;
    if (link.isSymbolicLink()) {
      try {
        path = await realpath(full);
        info = await stat(path);
      } catch {
        continue; // a dangling link: perhaps its target is still being written
      }
      if (!isInside(root, path)) {
        refused.push({ name, key: fileKey(name, link.size, link.mtimeMs), reason: "a symlink to a file outside the folder" });
        continue;
      }
    }
    if (info.isDirectory()) continue;
    if (!info.isFile()) {
      refused.push({ name, key: fileKey(name, info.size, info.mtimeMs), reason: "not a regular file (a FIFO, socket or device)" });
      continue;
    }
    files.push({ name, path, size: info.size, mtimeMs: info.mtimeMs, dev: info.dev, ino: info.ino, key: fileKey(name, info.size, info.mtimeMs) });
  }
  files.sort((a, b) => a.mtimeMs - b.mtimeMs || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { files, refused };
}

export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== "" && rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/**
 * Opens a listed file for reading, and checks it is still the file that was
 * listed: a symlink swapped between the check and the open cannot lead out of
 * the folder. O_NOFOLLOW because `path` is already resolved; O_NONBLOCK so a
 * FIFO put in its place cannot hang the open.
 */
export async function openListed(file: FolderFile): Promise<FileHandle> {
  const flags = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);
  const handle = await open(file.path, flags);
  try {
    const now = await handle.stat();
    if (!now.isFile() || now.dev !== file.dev || now.ino !== file.ino) {
      throw new ImportFileError(file.name, "the file was replaced while it was being opened");
    }
    return handle;
  } catch (err) {
    await handle.close();
    throw err;
  }
}

/**
 * Moves `name` out of `root` into `target` (made if missing). An existing file
 * of that name there is kept: the moved one gets "-2", "-3" … before its
 * extension. Across file systems, where rename cannot work, it is copied and removed.
 */
export async function moveOut(root: string, name: string, target: string): Promise<string> {
  await mkdir(target, { recursive: true });
  const ext = extname(name);
  const stem = name.slice(0, name.length - ext.length);
  for (let n = 1; n < 1000; n++) {
    const dest = resolve(target, n === 1 ? name : `${stem}-${n}${ext}`);
    if (await exists(dest)) continue;
    const from = join(root, name);
    try {
      await rename(from, dest);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EXDEV") throw err;
      await copyFile(from, dest, constants.COPYFILE_EXCL);
      await unlink(from);
    }
    return dest;
  }
  throw new Error(`no free name for ${name} in ${target}`);
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}
