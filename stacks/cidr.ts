// IPv4 CIDR arithmetic for validating the address plan and deriving static addresses. Pure, so it is
// tested directly (property-based) rather than through the Pulumi program.

export interface Cidr {
  /** The network address as an unsigned 32-bit integer. */
  network: number;
  prefix: number;
  /** Number of addresses in the block. */
  size: number;
}

const cidrPattern = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parse "10.20.0.0/16"; undefined when it is not a valid CIDR with its host bits zero. */
export function parseCidr(text: string): Cidr | undefined {
  const match = cidrPattern.exec(text);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  if (address % size !== 0) return undefined;
  return { network: address, prefix, size };
}

export function isCidr(text: string): boolean {
  return parseCidr(text) !== undefined;
}

function must(text: string): Cidr {
  const cidr = parseCidr(text);
  if (!cidr) throw new Error(`"${text}" is not a CIDR block`);
  return cidr;
}

/** True when `inner` lies entirely inside `outer`. */
export function cidrContains(outer: string, inner: string): boolean {
  const o = must(outer);
  const i = must(inner);
  return i.network >= o.network && i.network + i.size <= o.network + o.size;
}

export function cidrsOverlap(a: string, b: string): boolean {
  const x = must(a);
  const y = must(b);
  return x.network < y.network + y.size && y.network < x.network + x.size;
}

export function formatAddress(address: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join(".");
}

/** The n-th address of a block ("10.0.1.0/24", 4 → "10.0.1.4"). Azure reserves .0–.3 and the last one. */
export function hostAddress(cidr: string, n: number): string {
  const block = must(cidr);
  if (n < 0 || n >= block.size) throw new Error(`address #${n} is outside ${cidr}`);
  return formatAddress(block.network + n);
}

/** How many addresses Azure lets VMs use in a subnet (it reserves the first four and the last). */
export function usableAzureAddresses(cidr: string): number {
  return Math.max(0, must(cidr).size - 5);
}

/** Every pair of overlapping blocks, by label. */
export function overlappingPairs(blocks: readonly { label: string; cidr: string }[]): [string, string][] {
  const pairs: [string, string][] = [];
  const valid = blocks.filter((b) => isCidr(b.cidr));
  for (let i = 0; i < valid.length; i++) {
    for (let j = i + 1; j < valid.length; j++) {
      const a = valid[i];
      const b = valid[j];
      if (a && b && cidrsOverlap(a.cidr, b.cidr)) pairs.push([a.label, b.label]);
    }
  }
  return pairs;
}
