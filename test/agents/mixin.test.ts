// The monitoring mixin (agents/mixin/): the checked-in rendered files equal what config.ts renders, every rule
// passes `promtool check rules` and the synthetic-series tests of `promtool test rules`, every dashboard query is
// valid PromQL (wrapped into a rule file for promtool), and every alert has a runbook section.
import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { dashboardExpressions, dashboards } from "../../agents/mixin/dashboards.js";
import { renderedDirectory, renderedMixin } from "../../agents/mixin/render.js";
import { alertRules, recordingRules, ruleGroups } from "../../agents/mixin/rules.js";
import { prometheusConfigFiles, rulesFileName } from "../../agents/prometheusConfig.js";
import { repoRoot } from "../helpers/cli.js";

const promtool = "/usr/bin/promtool";

function promtoolRun(args: string[]): Promise<{ code: number; output: string }> {
  if (!existsSync(promtool))
    throw new Error(`${promtool} is missing: install Debian's prometheus package (scripts/test-peers.sh does)`);
  return new Promise((resolve) => {
    execFile(promtool, args, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, output: stdout + stderr });
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), "muniops-mixin-"));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("monitoring mixin", () => {
  it("has rendered files in the repository that equal what config.ts renders (npx tsx agents/mixin/render.ts)", () => {
    for (const [relative, text] of renderedMixin()) {
      expect(readFileSync(join(renderedDirectory, relative), "utf8"), relative).toBe(text);
    }
  });

  it("is what `muniops prometheus-config` writes beside prometheus.yml", () => {
    const inventory = JSON.parse(
      readFileSync(join(repoRoot, "test", "fixtures", "inventory.json"), "utf8"),
    ) as Parameters<typeof prometheusConfigFiles>[0];
    const written = prometheusConfigFiles(inventory, { scrapeInterval: "30s" }).get(join("rules", rulesFileName));
    expect(parse(written ?? "")).toEqual(ruleGroups());
  });

  it("passes promtool check rules", async () => {
    const result = await promtoolRun(["check", "rules", join(renderedDirectory, "prometheus-rules.yml")]);
    expect(result.output).toContain(`SUCCESS: ${alertRules().length + recordingRules().length} rules found`);
    expect(result.code).toBe(0);
  });

  it("passes promtool test rules on synthetic series", async () => {
    copyFileSync(join(renderedDirectory, "prometheus-rules.yml"), join(dir, "prometheus-rules.yml"));
    copyFileSync(
      join(repoRoot, "test", "fixtures", "agent", "mixin.rules.test.yml"),
      join(dir, "mixin.rules.test.yml"),
    );
    const result = await promtoolRun(["test", "rules", join(dir, "mixin.rules.test.yml")]);
    expect(result.output).toContain("SUCCESS");
    expect(result.code).toBe(0);
  });

  it("tests every alert on synthetic series, in one of the two promtool test files", () => {
    const tested = ["mixin.rules.test.yml", "rules.test.yml"]
      .map((name) => readFileSync(join(repoRoot, "test", "fixtures", "agent", name), "utf8"))
      .join("\n");
    const untested = alertRules().filter((rule) => !tested.includes(`alertname: ${rule.alert}\n`));
    expect(untested.map((rule) => rule.alert)).toEqual([]);
  });

  it("has dashboard queries that promtool accepts, wrapped into a rule file", async () => {
    const rules = [...dashboards()].flatMap(([name, board]) =>
      dashboardExpressions(board).map((q, i) => ({
        record: `dashboard:${name.replace(/\W/g, "_")}:query_${i}`,
        expr: q.expr,
      })),
    );
    expect(rules.length).toBeGreaterThan(20);
    writeFileSync(join(dir, "dashboards.rules.yml"), stringify({ groups: [{ name: "dashboard-queries", rules }] }));
    const result = await promtoolRun(["check", "rules", join(dir, "dashboards.rules.yml")]);
    expect(result.output).toContain(`SUCCESS: ${rules.length} rules found`);
    expect(result.code).toBe(0);
  });

  it("refers only to series the agent exports or the recording rules define", () => {
    const golden = readFileSync(join(repoRoot, "test", "fixtures", "agent", "golden.prom"), "utf8");
    // Series the golden output cannot show: filesystem, updates, timex and textfile (live machine),
    // and Prometheus's up.
    const elsewhere = /^(muniops_filesystem_|muniops_updates_|muniops_reboot_|muniops_timex_|muniops_textfile_|up$)/;
    const known = new Set([...golden.matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1]!));
    for (const rule of recordingRules()) known.add(rule.record);
    const expressions = [
      ...alertRules().map((r) => r.expr),
      ...recordingRules().map((r) => r.expr),
      ...[...dashboards().values()].flatMap((b) => dashboardExpressions(b).map((q) => q.expr)),
    ];
    const used = new Set(
      expressions.flatMap((e) =>
        [...e.matchAll(/\b(muniops_[a-z0-9_]+|[a-z_]+:muniops_[a-z0-9_:]+|up)\b/g)].map((m) => m[1]!),
      ),
    );
    expect([...used].filter((name) => !known.has(name) && !elsewhere.test(name))).toEqual([]);
  });

  it("has a runbook section for every alert, each naming its BIO2 measure or saying there is none", () => {
    const runbook = readFileSync(join(repoRoot, "agents", "mixin", "runbook.md"), "utf8");
    for (const rule of alertRules()) {
      const section = runbook.split(`\n## ${rule.alert}\n`)[1]?.split("\n## ")[0];
      expect(section, rule.alert).toBeDefined();
      expect(section, rule.alert).toMatch(/- \*\*BIO2\*\*: /);
      expect(rule.annotations.runbook_url).toMatch(new RegExp(`runbook\\.md#${rule.alert.toLowerCase()}$`));
    }
    expect(runbook).toMatch(/## MuniopsSecurityUpdatePendingTooLong\n[^#]*\*\*8\.08\.01\*\*/);
  });

  it("provisions Grafana with the dashboards directory and a Prometheus data source", () => {
    const provider = parse(
      readFileSync(join(renderedDirectory, "provisioning", "dashboards", "muniops.yml"), "utf8"),
    ) as {
      providers: { type: string; options: { path: string } }[];
    };
    expect(provider.providers[0]).toMatchObject({
      type: "file",
      options: { path: "/var/lib/grafana/dashboards/muniops" },
    });
    const fleet = JSON.parse(readFileSync(join(renderedDirectory, "dashboards", "muniops-fleet.json"), "utf8")) as {
      templating: { list: { name: string }[] };
    };
    expect(fleet.templating.list.map((v) => v.name)).toEqual(["datasource", "department"]);
  });
});
