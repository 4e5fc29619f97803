// Checkov's logic for Internet-exposed NSG rules (CKV_AZURE_9/10), shared by the SSH, RDP and any-port
// policies. A rule is exposed when it allows inbound traffic, from an Internet source, to a port range
// that covers the port. Rules are read from an NSG's inline `securityRules[]` or a standalone SecurityRule.
import { arrayAt, stringAt } from "./props.js";

export const networkSecurityGroupType = "azure-native:network:NetworkSecurityGroup";
export const securityRuleType = "azure-native:network:SecurityRule";

export interface ExposedRule {
  /** The rule's name, or its index in securityRules when it has none. */
  rule: string;
  source: string;
  ports: string;
}

/** The security rules a resource defines: an NSG's inline list, or the SecurityRule itself. */
export function securityRulesOf(type: string, props: unknown): { label: string; rule: unknown }[] {
  if (type === securityRuleType)
    return [{ label: stringAt(props, "securityRuleName") ?? stringAt(props, "name") ?? "rule", rule: props }];
  return arrayAt(props, "securityRules").map((rule, index) => ({
    label: stringAt(rule, "name") ?? `securityRules[${index}]`,
    rule,
  }));
}

const internetSources = new Set(["*", "0.0.0.0", "internet", "any"]);

function isInternetSource(prefix: string): boolean {
  const p = prefix.trim().toLowerCase();
  return internetSources.has(p) || p.endsWith("/0");
}

/** Does a port range text ("22", "20-25", "*") cover the port? `undefined` port means "all ports". */
function covers(range: string, port: number | undefined): boolean {
  const r = range.trim();
  if (r === "*") return true;
  const [lowText, highText] = r.includes("-") ? r.split("-") : [r, r];
  const low = Number(lowText);
  const high = Number(highText);
  if (!Number.isInteger(low) || !Number.isInteger(high)) return false;
  if (port === undefined) return low <= 0 && high >= 65535;
  return low <= port && port <= high;
}

/**
 * The inbound Allow rules from the Internet that reach `port` (over TCP when `tcpOnly`), or that open
 * every port when `port` is undefined.
 */
export function exposedRules(type: string, props: unknown, port: number | undefined): ExposedRule[] {
  const exposed: ExposedRule[] = [];
  for (const { label, rule } of securityRulesOf(type, props)) {
    if (stringAt(rule, "access")?.toLowerCase() !== "allow") continue;
    if (stringAt(rule, "direction")?.toLowerCase() !== "inbound") continue;
    const protocol = (stringAt(rule, "protocol") ?? "*").toLowerCase();
    if (port !== undefined && protocol !== "tcp" && protocol !== "*") continue;
    const sources = [stringAt(rule, "sourceAddressPrefix"), ...arrayAt(rule, "sourceAddressPrefixes")].filter(
      (s): s is string => typeof s === "string",
    );
    const internet = sources.find(isInternetSource);
    if (internet === undefined) continue;
    const ranges = [stringAt(rule, "destinationPortRange"), ...arrayAt(rule, "destinationPortRanges")].filter(
      (s): s is string => typeof s === "string",
    );
    const hit = ranges.find((range) => covers(range, port));
    if (hit === undefined) continue;
    exposed.push({ rule: label, source: internet, ports: hit });
  }
  return exposed;
}
