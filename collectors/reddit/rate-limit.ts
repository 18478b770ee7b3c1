/**
 * Reddit's quota headers, as numbers. They arrive as X-Ratelimit-Used: "4",
 * X-Ratelimit-Remaining: "596.0" (a float) and X-Ratelimit-Reset: "412"
 * (seconds until the window resets). Missing or unreadable ones stay undefined.
 */
export interface RedditQuota {
  remaining: number | undefined;
  used: number | undefined;
  resetSeconds: number | undefined;
}

/** `headers` with lower-case names, as SafeHttp returns them. */
export function readQuota(headers: Readonly<Record<string, string>>): RedditQuota {
  return {
    remaining: number(headers["x-ratelimit-remaining"]),
    used: number(headers["x-ratelimit-used"]),
    resetSeconds: number(headers["x-ratelimit-reset"]),
  };
}

function number(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*\d+(\.\d+)?\s*$/.test(value)) return undefined;
  return Number(value);
}
