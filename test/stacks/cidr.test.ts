import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  cidrContains,
  cidrsOverlap,
  formatAddress,
  hostAddress,
  overlappingPairs,
  parseCidr,
  usableAzureAddresses,
} from "../../stacks/cidr.js";

const block = fc
  .tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 8, max: 30 }))
  .map(([address, prefix]) => {
    const size = 2 ** (32 - prefix);
    return `${formatAddress(Math.floor(address / size) * size)}/${prefix}`;
  });

describe("CIDR arithmetic", () => {
  it("parses blocks and refuses host bits, bad octets and prefixes", () => {
    expect(parseCidr("10.20.0.0/16")).toEqual({ network: 0x0a140000, prefix: 16, size: 65536 });
    expect(parseCidr("10.20.0.1/16")).toBeUndefined();
    expect(parseCidr("10.256.0.0/16")).toBeUndefined();
    expect(parseCidr("10.0.0.0/33")).toBeUndefined();
    expect(parseCidr("10.0.0.0")).toBeUndefined();
  });

  it("gives Azure's first VM address and usable count", () => {
    expect(hostAddress("10.20.1.0/24", 4)).toBe("10.20.1.4");
    expect(usableAzureAddresses("10.20.1.0/24")).toBe(251);
    expect(() => hostAddress("10.0.0.0/30", 4)).toThrow("outside");
  });

  it("overlap is symmetric and implied by containment", () => {
    fc.assert(
      fc.property(block, block, (a, b) => {
        expect(cidrsOverlap(a, b)).toBe(cidrsOverlap(b, a));
        if (cidrContains(a, b)) expect(cidrsOverlap(a, b)).toBe(true);
        // Two aligned blocks overlap exactly when one contains the other.
        expect(cidrsOverlap(a, b)).toBe(cidrContains(a, b) || cidrContains(b, a));
      }),
    );
  });

  it("a block contains its halves, and the halves don't overlap", () => {
    fc.assert(
      fc.property(block, (a) => {
        const { network, prefix, size } = parseCidr(a)!;
        const low = `${formatAddress(network)}/${prefix + 1}`;
        const high = `${formatAddress(network + size / 2)}/${prefix + 1}`;
        expect(cidrContains(a, low) && cidrContains(a, high)).toBe(true);
        expect(cidrsOverlap(low, high)).toBe(false);
      }),
    );
  });

  it("lists overlapping pairs by label", () => {
    expect(
      overlappingPairs([
        { label: "a", cidr: "10.0.0.0/16" },
        { label: "b", cidr: "10.1.0.0/16" },
        { label: "c", cidr: "10.0.128.0/17" },
      ]),
    ).toEqual([["a", "c"]]);
  });
});
