// `muniops plan --compare old.json` with the change's monthly cost, as operations attach it to a pull
// request: the real plan of the dev stack against an older one with a smaller VM, priced at a rate card
// file (--rates) and at list price, as Markdown.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { PreviewDigest } from "../../contracts/pulumiDocuments.js";
import { runCli } from "../helpers/cli.js";
import { fixtureDir } from "../dashboard/helpers/handMonth.js";

const dir = mkdtempSync(join(tmpdir(), "muniops-plan-cost-"));
const oldPlan = join(dir, "old.json");
const env = { MUNIOPS_DATABASE_URL: join(dir, "no-ledger.db") };

beforeAll(async () => {
  const first = await runCli(["plan", "--stack", "dev", "--out", oldPlan], { timeoutMs: 120_000, env });
  expect(first.code, first.stderr).toBe(0);
  const old = JSON.parse(readFileSync(oldPlan, "utf8")) as PreviewDigest;
  for (const step of old.steps!)
    if (step.urn.endsWith("::bz-app-01-vm"))
      (step.newState!.inputs!.hardwareProfile as Record<string, string>).vmSize = "Standard_B2s";
  writeFileSync(oldPlan, JSON.stringify(old));
}, 180_000);

describe("muniops plan --compare with costs", () => {
  it("prints the change and its monthly cost as a Markdown pull-request comment", { timeout: 120_000 }, async () => {
    const rates = join(fixtureDir, "hand-month.yaml");
    const args = ["plan", "--stack", "dev", "--compare", oldPlan, "--format", "markdown", "--rates", rates];
    const run = await runCli(args, { timeoutMs: 120_000, env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^### muniops plan: changes from `.*old\.json` to `stack dev`/);
    expect(run.stdout).not.toContain("resource type"); // only the review, no summary tables
    // the hand month's card valid today is 2026-10-16's; list prices always
    expect(run.stdout).toMatch(/\| department \| internal rates 2026-10-16 before \|.*\| list price Δ\/month \|/);
    // B2s → bz-app-01's own, larger size: dearer at both prices
    expect(run.stdout).toMatch(/\| burgerzaken \| [\d.]+ \| [\d.]+ \| \+[\d.]+ \| [\d.]+ \| [\d.]+ \| \+[\d.]+ \|/);
    expect(run.stdout).toContain("`~` **burgerzaken** `azure-native:compute:VirtualMachine` bz-app-01-vm");
  });

  it("prices at list only, saying why, when there is no rate card", { timeout: 120_000 }, async () => {
    const run = await runCli(["plan", "--stack", "dev", "--compare", oldPlan], { timeoutMs: 120_000, env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/warning: the change is priced at list only: no ledger/);
    expect(run.stdout).toMatch(/Monthly cost \(EUR, 730-hour month\)/);
    expect(run.stdout).toMatch(/list price Δ\/month/);
  });

  it("refuses --format markdown without --compare", async () => {
    const run = await runCli(["plan", "--stack", "dev", "--format", "markdown"], { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--format markdown renders a comparison: give --compare/);
  });
});
