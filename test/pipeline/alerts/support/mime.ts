/**
 * Just enough MIME to read back what nodemailer sent (RFC 2045–2047):
 * unfolded headers, RFC 2047 encoded words, multipart bodies and the base64
 * and quoted-printable transfer encodings. Test support, not a general parser.
 */
export interface MimePart {
  headers: Map<string, string>;
  /** Decoded body for a leaf part; "" for a multipart. */
  body: string;
  parts: MimePart[];
}

export function parseMime(raw: string): MimePart {
  const text = raw.replace(/\r\n/g, "\n");
  const split = text.indexOf("\n\n");
  const head = split === -1 ? text : text.slice(0, split);
  const rest = split === -1 ? "" : text.slice(split + 2);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\n[ \t]+/g, " ").split("\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), decodeWords(line.slice(colon + 1).trim()));
  }
  const type = headers.get("content-type") ?? "text/plain";
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (type.toLowerCase().startsWith("multipart/") && boundary) {
    const chunks = rest.split(`--${boundary}`).slice(1);
    const parts = chunks.filter((c) => !c.startsWith("--")).map((c) => parseMime(c.replace(/^\n/, "")));
    return { headers, body: "", parts };
  }
  const charset = /charset="?([^";]+)"?/i.exec(type)?.[1] ?? "utf-8";
  const bytes = decodeTransfer(rest, headers.get("content-transfer-encoding") ?? "7bit");
  return { headers, body: new TextDecoder(charset).decode(bytes).replace(/\n$/, ""), parts: [] };
}

/** The first leaf part with this content type, searching depth-first. */
export function findPart(part: MimePart, contentType: string): MimePart | undefined {
  if (part.parts.length === 0) return (part.headers.get("content-type") ?? "").toLowerCase().startsWith(contentType) ? part : undefined;
  for (const p of part.parts) {
    const hit = findPart(p, contentType);
    if (hit) return hit;
  }
  return undefined;
}

function decodeTransfer(body: string, encoding: string): Uint8Array {
  switch (encoding.toLowerCase()) {
    case "base64":
      return Buffer.from(body.replace(/\s+/g, ""), "base64");
    case "quoted-printable":
      return qp(body.replace(/=\n/g, ""));
    default:
      return Buffer.from(body, "utf8");
  }
}

function qp(text: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "=" && /^[0-9A-F]{2}$/i.test(text.slice(i + 1, i + 3))) {
      out.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(...Buffer.from(c, "utf8"));
  }
  return Uint8Array.from(out);
}

function decodeWords(value: string): string {
  // adjacent encoded words are joined without the white space between them (RFC 2047 §6.2)
  return value
    .replace(/(=\?[^?]+\?[BQ]\?[^?]*\?=)\s+(?==\?)/gi, "$1")
    .replace(/=\?([^?]+)\?([BQ])\?([^?]*)\?=/gi, (_, charset: string, kind: string, data: string) => {
      const bytes = kind.toUpperCase() === "B" ? Buffer.from(data, "base64") : qp(data.replace(/_/g, " "));
      return new TextDecoder(charset).decode(bytes);
    });
}
