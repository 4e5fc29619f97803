// Both sample stacks, planned offline (stacks/plan.ts, as `muniops audit --stack` does), pass every
// mandatory policy. If this fails, fix the stack, not the policy.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runAudit } from "../../policies/audit/run.js";
import { repoRoot } from "../helpers/cli.js";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";

const noWaivers = join(repoRoot, "test", "fixtures", "policies", "no-waivers.yaml");

describe.each(["dev", "leiden-prod"])("sample stack %s", (stack) => {
  it("passes every mandatory policy with no waivers", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "muniops-sample-")), "report.json");
    const report = await runAudit({ stack, format: "json", out, waivers: noWaivers, notice: () => undefined });
    const written = JSON.parse(readFileSync(out, "utf8")) as {
      findings: { outcome: string; enforcementLevel: string; policyId: string; name?: string; message: string }[];
    };
    const mandatory = written.findings
      .filter((f) => f.outcome === "fail" && f.enforcementLevel === "mandatory")
      .map((f) => `${f.policyId} ${f.name ?? ""}: ${f.message}`);
    expect(mandatory).toEqual([]);
    expect(report.summary.resources).toBeGreaterThan(50);
    // Every resource policy had something to check: the stack exercises the pack, not an empty plan.
    expect(report.policies.filter((p) => p.kind === "resource" && p.pass + p.fail > 0).length).toBeGreaterThan(25);
  }, 120_000);
});
