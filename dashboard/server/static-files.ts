import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, resolve, sep } from "node:path";
import { pipeline } from "node:stream/promises";
import { HttpError } from "./http";

/**
 * Serves the built web app. Paths are checked on the raw request target, before
 * any normalisation could hide a `..`: a `..` segment (plain or %-encoded), a
 * backslash or a NUL byte is refused with 400, dotfiles are never served, and
 * the resolved file must lie inside the folder. A path without a file
 * extension that names no file gets index.html (the app routes in the
 * browser); a missing file with an extension is a plain 404, because HTML
 * served as a script or stylesheet only hides the real error.
 */

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".webmanifest": "application/manifest+json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".wasm": "application/wasm",
};

export function contentTypeOf(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? "application/octet-stream";
}

export type StaticHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export function createStaticHandler(staticDir: string): StaticHandler {
  const root = resolve(staticDir);
  const indexFile = resolve(root, "index.html");

  return async (req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") throw new HttpError(405, "use GET here", { Allow: "GET, HEAD" });
    const decoded = decodedPath(req.url ?? "/");
    const segments = decoded.split("/");
    if (segments.some((s) => s === "..") || decoded.includes("\\") || decoded.includes("\0")) {
      throw new HttpError(400, "invalid path");
    }
    if (segments.some((s) => s.startsWith("."))) throw new HttpError(404, "not found");
    const file = resolve(root, `.${decoded}`);
    if (file !== root && !file.startsWith(root + sep)) throw new HttpError(400, "invalid path");

    if (await isFile(file)) return send(req, res, root, file);
    const last = segments[segments.length - 1] ?? "";
    if (extname(last) !== "" && extname(last) !== ".html") throw new HttpError(404, "not found");
    if (!(await isFile(indexFile))) throw new HttpError(404, "the web app is not built");
    return send(req, res, root, indexFile);
  };
}

/** The request target's path, %-decoded once (a double-encoded `%252e` stays a harmless literal). */
function decodedPath(target: string): string {
  const end = target.search(/[?#]/);
  const raw = end < 0 ? target : target.slice(0, end);
  if (!raw.startsWith("/")) throw new HttpError(400, "invalid path");
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new HttpError(400, "invalid path");
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function send(req: IncomingMessage, res: ServerResponse, root: string, file: string): Promise<void> {
  const info = await stat(file);
  // Vite puts content-hashed names under assets/: those never change. Anything
  // else (index.html above all) is revalidated so a new build shows at once.
  const immutable = file.slice(root.length).startsWith(`${sep}assets${sep}`);
  res.writeHead(200, {
    "Content-Type": contentTypeOf(file),
    "Content-Length": String(info.size),
    "Cache-Control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
    "Last-Modified": info.mtime.toUTCString(),
  });
  if (req.method === "HEAD") {
    res.end();
    return;
  }
  await pipeline(createReadStream(file), res);
}
