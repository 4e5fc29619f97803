// The Prometheus server in the management spoke scrapes every agent listed in the inventory; its
// file_sd targets carry the department/role/environment/service labels (DESIGN.md: the agent never sets
// them itself).
import type { Inventory } from "./inventory.js";

export interface FileSdGroup {
  targets: string[];
  labels: Record<string, string>;
}

export function fileSdTargets(inventory: Inventory): FileSdGroup[] {
  const groups = new Map<string, FileSdGroup>();
  for (const host of inventory.hosts) {
    if (host.collect === "ssh") continue;
    const labels = { department: host.department, role: host.role, environment: host.environment, service: host.service };
    const key = JSON.stringify(labels);
    let group = groups.get(key);
    if (!group) {
      group = { targets: [], labels };
      groups.set(key, group);
    }
    group.targets.push(`${host.address}:${host.agentPort}`);
  }
  return [...groups.values()];
}

export function prometheusYaml(retentionDays: number): string {
  return [
    "global:",
    "  scrape_interval: 60s",
    "  evaluation_interval: 60s",
    "scrape_configs:",
    "  - job_name: muniops-agent",
    "    file_sd_configs:",
    "      - files: [/etc/prometheus/file_sd/muniops.json]",
    `# retention: ${retentionDays}d (set in /etc/default/prometheus)`,
    "",
  ].join("\n");
}
