import type { IncomingMessage } from "node:http";
import { describe, expect, test } from "vitest";
import { clientAddress, parseTrustedProxies } from "../../../dashboard/server/client-address";

/** Only the two fields clientAddress() reads. */
const request = (peer: string, forwardedFor?: string | string[]) =>
  ({ socket: { remoteAddress: peer }, headers: forwardedFor === undefined ? {} : { "x-forwarded-for": forwardedFor } }) as unknown as IncomingMessage;

describe("clientAddress()", () => {
  const proxies = parseTrustedProxies(["10.0.0.0/8", "192.168.1.5", "fd00::/8"]);

  test("clientAddress() is the peer when no proxy is trusted or the peer is not one", () => {
    expect(clientAddress(request("203.0.113.5", "1.2.3.4"), [])).toBe("203.0.113.5");
    expect(clientAddress(request("203.0.113.5", "1.2.3.4"), proxies)).toBe("203.0.113.5");
  });

  test("clientAddress() reads X-Forwarded-For from the right, past every trusted proxy", () => {
    expect(clientAddress(request("10.0.0.2", "198.51.100.7"), proxies)).toBe("198.51.100.7");
    expect(clientAddress(request("10.0.0.2", "6.6.6.6, 198.51.100.7, 10.1.2.3"), proxies)).toBe("198.51.100.7");
    expect(clientAddress(request("::ffff:192.168.1.5", "198.51.100.7"), proxies)).toBe("198.51.100.7");
    expect(clientAddress(request("fd00::1", ["6.6.6.6", "2001:db8::7"]), proxies)).toBe("2001:db8::7");
  });

  test("clientAddress() falls back to what it knows when the header is missing, all proxies, or not addresses", () => {
    expect(clientAddress(request("10.0.0.2"), proxies)).toBe("10.0.0.2");
    expect(clientAddress(request("10.0.0.2", "10.0.0.9, 10.0.0.3"), proxies)).toBe("10.0.0.9");
    expect(clientAddress(request("10.0.0.2", "unknown"), proxies)).toBe("10.0.0.2");
    expect(clientAddress(request("10.0.0.2", "198.51.100.7, garbage, 10.0.0.3"), proxies)).toBe("10.0.0.3");
  });
});
