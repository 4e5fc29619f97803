import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { agentMetrics, openMetricsFamilyName } from "../../contracts/metrics.js";
import { repoRoot } from "../helpers/cli.js";

describe("metric names contract", () => {
  const metrics = Object.values(agentMetrics);

  it("names follow the Prometheus conventions promtool checks", () => {
    for (const metric of metrics) {
      expect(metric.name).toMatch(/^muniops_[a-z0-9_]+$/);
      expect(metric.name.endsWith("_total")).toBe(metric.type === "counter");
    }
    expect(new Set(metrics.map((m) => m.name)).size).toBe(metrics.length);
  });

  it("is what the agent serves: the golden scrape has each metric's type and help text", () => {
    const golden = readFileSync(join(repoRoot, "test", "fixtures", "agent", "golden.prom"), "utf8");
    const described = (kind: "TYPE" | "HELP", name: string): string | undefined =>
      golden.match(new RegExp(`^# ${kind} ${name} (.*)$`, "m"))?.[1];
    // On Linux the memory collector reports these two from /proc/meminfo, under its own help text.
    const meminfoFields = new Set<string>([agentMetrics.memoryTotalBytes.name, agentMetrics.memoryAvailableBytes.name]);
    for (const metric of metrics) {
      const type = described("TYPE", metric.name);
      if (type === undefined) continue; // not collected on the golden machine (patch state, simulator)
      expect(type).toBe(metric.type);
      if (!meminfoFields.has(metric.name)) expect(described("HELP", metric.name)).toBe(metric.help);
    }
  });

  it("gives OpenMetrics family names without a counter's _total", () => {
    expect(openMetricsFamilyName(agentMetrics.cpuSeconds)).toBe("muniops_cpu_seconds");
    expect(openMetricsFamilyName(agentMetrics.memoryTotalBytes)).toBe("muniops_memory_total_bytes");
  });
});
