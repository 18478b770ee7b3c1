import { describe, expect, test } from "vitest";
import { classifyAddress, guardedLookup, parseAllowance, privateNetworkAllowanceSchema, type LookupFunction } from "../../collectors/private-address";

describe("classifyAddress()", () => {
  test.for([
    ["127.0.0.1", "loopback"],
    ["127.8.9.10", "loopback"],
    ["10.0.0.1", "private"],
    ["172.16.5.4", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["169.254.169.254", "linkLocal"],
    ["100.64.0.1", "carrierGradeNat"],
    ["0.0.0.0", "unspecified"],
    ["224.0.0.251", "multicast"],
    ["255.255.255.255", "broadcast"],
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["fc00::1", "uniqueLocal"],
    ["fd12:3456::1", "uniqueLocal"],
    ["fe80::1", "linkLocal"],
    ["fe80::1%eth0", "linkLocal"],
    ["ff02::1", "multicast"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:10.1.2.3", "private"],
    ["::ffff:169.254.169.254", "linkLocal"],
    ["64:ff9b::a00:1", "rfc6052"],
    ["2002:a00:1::", "6to4"],
    ["::7f00:1", "ipv4Compatible"],
    ["not-an-ip", "invalid"],
  ])("classifyAddress() refuses %s as %s", ([address, range]) => {
    expect(classifyAddress(address)).toEqual({ allowed: false, range });
  });

  test.for(["8.8.8.8", "93.184.216.34", "172.32.0.1", "100.128.0.1", "2a00:1450:4001:80e::200e", "2001:4860:4860::8888", "[2606:4700::1111]"])(
    "classifyAddress() allows public %s",
    (address) => {
      expect(classifyAddress(address)).toEqual({ allowed: true });
    },
  );

  test("classifyAddress() allows only the listed private ranges", () => {
    const allowed = parseAllowance(["10.20.0.0/16", "127.0.0.1", "fd00::/8"]);
    expect(classifyAddress("10.20.3.4", allowed).allowed).toBe(true);
    expect(classifyAddress("127.0.0.1", allowed).allowed).toBe(true);
    expect(classifyAddress("::ffff:127.0.0.1", allowed).allowed).toBe(true);
    expect(classifyAddress("fd00::5", allowed).allowed).toBe(true);
    expect(classifyAddress("10.21.0.1", allowed)).toEqual({ allowed: false, range: "private" });
    expect(classifyAddress("127.0.0.2", allowed)).toEqual({ allowed: false, range: "loopback" });
  });
});

describe("guardedLookup()", () => {
  const fixed =
    (addresses: string[]): LookupFunction =>
    (_host, _options, callback) =>
      callback(null, addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 })));

  const run = (lookup: LookupFunction, options: { all?: boolean; family?: number }) =>
    new Promise<{ err: Error | null; address: unknown; family: unknown }>((resolve) =>
      guardedLookup(lookup)("feeds.example", options, (err, address, family) => resolve({ err, address, family })),
    );

  test("guardedLookup() hands checked public addresses to the socket", async () => {
    const lookup = fixed(["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"]);
    expect(await run(lookup, { all: true })).toMatchObject({ err: null, address: [{ address: "93.184.216.34", family: 4 }, { family: 6 }] });
    expect(await run(lookup, { family: 4 })).toMatchObject({ err: null, address: "93.184.216.34", family: 4 });
  });

  test("guardedLookup() fails the connection when any answer is private", async () => {
    const { err } = await run(fixed(["93.184.216.34", "192.168.0.10"]), { all: true });
    expect(err?.name).toBe("BlockedAddressError");
    expect(err?.message).toContain("192.168.0.10 is private");
  });
});

describe("privateNetworkAllowanceSchema", () => {
  test("privateNetworkAllowanceSchema takes true, false, a list of ranges, and a comma-separated string from the environment", () => {
    expect(privateNetworkAllowanceSchema.parse(false)).toBe(false);
    expect(privateNetworkAllowanceSchema.parse(true)).toBe(true);
    expect(privateNetworkAllowanceSchema.parse(["10.20.0.0/16", " 192.168.1.5 ", "fd00::/8"])).toEqual(["10.20.0.0/16", "192.168.1.5", "fd00::/8"]);
    expect(privateNetworkAllowanceSchema.parse("10.20.0.0/16, 192.168.1.5")).toEqual(["10.20.0.0/16", "192.168.1.5"]);
    expect(privateNetworkAllowanceSchema.parse("")).toEqual([]);
  });

  test("privateNetworkAllowanceSchema refuses an entry that is not an address or a range, naming it", () => {
    const result = privateNetworkAllowanceSchema.safeParse(["10.0.0.0/8", "intranet.example"]);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain("intranet.example");
    expect(privateNetworkAllowanceSchema.safeParse("10.0.0.0/33").success).toBe(false);
    expect(privateNetworkAllowanceSchema.safeParse("yes").success).toBe(false);
  });
});
