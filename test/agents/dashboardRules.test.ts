// The mixin's dashboard alerts (agents/mixin/dashboardRules.ts): rendered as config renders them, accepted by
// promtool, each tested on synthetic series and with a runbook section, reading only the dashboard's contract
// metrics; and `muniops prometheus-config` loads them and, when given the dashboards, scrapes them.
import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { dashboardMetrics } from "../../contracts/metrics.js";
import { dashboardAlertRules, dashboardRuleGroups } from "../../agents/mixin/dashboardRules.js";
import { renderedDirectory } from "../../agents/mixin/render.js";
import { prometheusConfigFiles } from "../../agents/prometheusConfig.js";
import { repoRoot } from "../helpers/cli.js";

const promtool = "/usr/bin/promtool";
const rendered = join(renderedDirectory, "dashboard-rules.yml");

function promtoolRun(args: string[]): Promise<{ code: number; output: string }> {
  if (!existsSync(promtool))
    throw new Error(`${promtool} is missing: install Debian's prometheus package (scripts/test-peers.sh does)`);
  return new Promise((resolve) => {
    execFile(promtool, args, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, output: stdout + stderr });
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), "muniops-dashboard-rules-"));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("the mixin's dashboard alerts", () => {
  it("are rendered in the repository as dashboardRules.ts builds them", () => {
    expect(parse(readFileSync(rendered, "utf8"))).toEqual(dashboardRuleGroups());
  });

  it("pass promtool check rules and promtool test rules", async () => {
    const checked = await promtoolRun(["check", "rules", rendered]);
    expect(checked.output).toContain(`SUCCESS: ${dashboardAlertRules().length} rules found`);
    copyFileSync(rendered, join(dir, "dashboard-rules.yml"));
    const fixture = join(repoRoot, "test", "fixtures", "dashboard", "dashboard.rules.test.yml");
    copyFileSync(fixture, join(dir, "dashboard.rules.test.yml"));
    const tested = await promtoolRun(["test", "rules", join(dir, "dashboard.rules.test.yml")]);
    expect(tested.output).toContain("SUCCESS");
    expect(tested.code).toBe(0);
    const tests = readFileSync(fixture, "utf8");
    for (const rule of dashboardAlertRules()) expect(tests).toContain(`alertname: ${rule.alert}\n`);
  });

  it("read only the dashboard's contract metrics, and each has a runbook section", () => {
    const known = new Set(Object.values(dashboardMetrics).map((m) => m.name));
    const runbook = readFileSync(join(repoRoot, "agents", "mixin", "dashboard-runbook.md"), "utf8");
    for (const rule of dashboardAlertRules()) {
      for (const [name] of rule.expr.matchAll(/muniops_[a-z0-9_]+/g)) expect(known, name).toContain(name);
      const section = runbook.split(`\n## ${rule.alert}\n`)[1]?.split("\n## ")[0];
      expect(section, rule.alert).toMatch(/- \*\*BIO2\*\*: /);
      expect(rule.annotations.runbook_url).toMatch(new RegExp(`dashboard-runbook\\.md#${rule.alert.toLowerCase()}$`));
    }
  });

  it("are loaded by `muniops prometheus-config`, which scrapes the dashboards with their token when given", () => {
    const inventory = JSON.parse(
      readFileSync(join(repoRoot, "test", "fixtures", "inventory.json"), "utf8"),
    ) as Parameters<typeof prometheusConfigFiles>[0];
    const files = prometheusConfigFiles(inventory, {
      scrapeInterval: "30s",
      dashboard: { targets: ["dash-a:8080", "dash-b:8080"], tokenFile: "/etc/prometheus/muniops-dashboard.token" },
    });
    expect(parse(files.get(join("rules", "muniops-dashboard.rules.yml")) ?? "")).toEqual(dashboardRuleGroups());
    const config = parse(files.get("prometheus.yml") ?? "") as {
      rule_files: string[];
      scrape_configs: { job_name: string }[];
    };
    expect(config.rule_files).toContain(join("rules", "muniops-dashboard.rules.yml"));
    expect(config.scrape_configs.find((j) => j.job_name === "muniops-dashboard")).toEqual({
      job_name: "muniops-dashboard",
      authorization: { type: "Bearer", credentials_file: "/etc/prometheus/muniops-dashboard.token" },
      static_configs: [{ targets: ["dash-a:8080", "dash-b:8080"] }],
    });
  });
});
