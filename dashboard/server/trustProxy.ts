// `--trust-proxy`: which reverse proxies may tell the dashboard the client's address and scheme. Trusting
// every hop (express's `true`) lets any client write its own X-Forwarded-For and dodge the per-address
// login limit, so only the two safe forms are accepted, with express's (proxy-addr's) meaning:
//   - a hop count: the N proxies nearest the dashboard are trusted, the address before them is the client's;
//   - a list of proxy addresses or CIDRs (and proxy-addr's names loopback, linklocal, uniquelocal).
import { isIP } from "node:net";
import { z } from "zod";

/** What express's "trust proxy" receives: nothing trusted, a hop count, or the proxies' addresses. */
export type TrustProxy = false | number | readonly string[];

const namedRanges = new Set(["loopback", "linklocal", "uniquelocal"]);
const maxHops = 10;
const validForms =
  "false, the number of proxies in front (e.g. 1), or their addresses/CIDRs (e.g. 10.0.0.5,10.1.0.0/16)";

/** Why `entry` is no proxy address, CIDR or named range; undefined when it is one. */
function addressProblem(entry: string): string | undefined {
  if (namedRanges.has(entry)) return undefined;
  const [address = "", prefix, ...rest] = entry.split("/");
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return `"${entry}" is no IP address or CIDR`;
  if (prefix === undefined) return undefined;
  const bits = family === 4 ? 32 : 128;
  if (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits) return undefined;
  // proxy-addr also takes an IPv4 netmask after the slash (10.0.0.0/255.0.0.0)
  if (family === 4 && isIP(prefix) === 4) return undefined;
  return `"${entry}" has no valid prefix length (0–${bits})`;
}

/** A setting's value (a flag or variable's text, or YAML's false / number / text) as a TrustProxy. */
export function parseTrustProxy(value: boolean | number | string): TrustProxy | { problem: string } {
  const text = typeof value === "string" ? value.trim().toLowerCase() : value;
  if (text === false || text === "false" || text === "0" || text === 0 || text === "") return false;
  if (text === true || text === "true" || text === "all" || text === "*")
    return { problem: `trusting every proxy lets any client forge its address (X-Forwarded-For): give ${validForms}` };
  const hops = typeof text === "number" ? text : /^\d+$/.test(text) ? Number(text) : undefined;
  if (hops !== undefined) {
    if (Number.isInteger(hops) && hops >= 1 && hops <= maxHops) return hops;
    return { problem: `a hop count must be a whole number from 1 to ${maxHops}` };
  }
  if (typeof value !== "string") return { problem: `expected ${validForms}` };
  const entries = value.split(",").map((entry) => entry.trim());
  const problems = entries.map(addressProblem).filter((problem) => problem !== undefined);
  if (problems.length > 0) return { problem: `${problems.join("; ")}: give ${validForms}` };
  return entries;
}

export const trustProxySchema = z
  .union([z.boolean(), z.number(), z.string()])
  .transform((value, ctx): TrustProxy => {
    const parsed = parseTrustProxy(value);
    if (typeof parsed === "object" && "problem" in parsed) {
      ctx.addIssue({ code: "custom", message: parsed.problem });
      return z.NEVER;
    }
    return parsed;
  })
  .describe(validForms);
