// Stack configs of any size, for the scale tests and the plan benchmark: the leiden-prod departments,
// network and settings, with `servers` department servers spread over departments, tiers and sizes.
import { join } from "node:path";
import { readStackFile } from "../../stacks/stackFile.js";
import { repoRoot } from "../helpers/cli.js";

const tiers = ["web", "app", "db"] as const;
const sizes = ["Standard_D2s_v5", "Standard_D4s_v5", "Standard_E4s_v5", "Standard_D8s_v5"];

export function leidenProdValues(): Record<string, unknown> {
  return readStackFile(join(repoRoot, "Pulumi.leiden-prod.yaml")).values;
}

export function generatedStackValues(servers: number): Record<string, unknown> {
  const base = leidenProdValues();
  const departments = (base.departments as { id: string }[]).map((d) => d.id);
  const network = structuredClone(base.network) as {
    servers: { addressSpace: string; subnets: Record<string, string> };
  };
  // Each tier a /21 (2,043 usable addresses): room for any size the benchmark asks for.
  network.servers = {
    addressSpace: "10.20.0.0/16",
    subnets: { web: "10.20.0.0/21", app: "10.20.8.0/21", db: "10.20.16.0/21", endpoints: "10.20.24.0/26" },
  };
  return {
    ...base,
    network,
    servers: Array.from({ length: servers }, (_, i) => ({
      name: `srv-${String(i + 1).padStart(4, "0")}`,
      department: departments[i % departments.length],
      service: `service-${i % 37}`,
      tier: tiers[i % tiers.length],
      os: i % 3 === 0 ? "windows" : "linux",
      vmSize: sizes[i % sizes.length],
      dataDisks: i % 2 === 0 ? [{ sizeGiB: 128 * ((i % 4) + 1) }] : [],
    })),
  };
}
