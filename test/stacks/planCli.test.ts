// `muniops plan` as operations run it: the preview JSON, the inventory and the change review.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { beforeAll, describe, expect, it } from "vitest";
import { previewDigest, type PreviewDigest } from "../../contracts/pulumiDocuments.js";
import { repoRoot, runCli, type CliResult } from "../helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "muniops-plan-"));
const out = join(dir, "preview.json");
const inventoryFile = join(dir, "inventory.json");
const oldPlan = join(dir, "old.json");
let run: CliResult;

beforeAll(async () => {
  // The "old" plan: dev as it would have been with a smaller VM for bz-app-01, an extra share and no
  // belastingen server. Built by editing a real plan, so the comparison is against the real format.
  const first = await runCli(["plan", "--stack", "dev", "--out", oldPlan], { timeoutMs: 120_000 });
  expect(first.code, first.stderr).toBe(0);
  const old = JSON.parse(readFileSync(oldPlan, "utf8")) as PreviewDigest;
  for (const step of old.steps!) {
    const inputs = step.newState?.inputs;
    if (step.urn.endsWith("::bz-app-01-vm"))
      (inputs!.hardwareProfile as Record<string, string>).vmSize = "Standard_B2s";
  }
  old.steps = old.steps!.filter((s) => !s.urn.includes("::bel-db-01"));
  const share = old.steps.find((s) => s.urn.endsWith("::file-shares-burgerzaken"))!;
  old.steps.push({
    ...share,
    urn: share.urn.replace("file-shares-burgerzaken", "file-shares-archief"),
    newState: {
      ...share.newState!,
      urn: share.urn.replace("file-shares-burgerzaken", "file-shares-archief"),
      inputs: { ...share.newState!.inputs, shareName: "archief", metadata: { department: "burgerzaken" } },
    },
  });
  writeFileSync(oldPlan, JSON.stringify(old));
  run = await runCli(["plan", "--stack", "dev", "--out", out, "--inventory", inventoryFile, "--compare", oldPlan], {
    timeoutMs: 120_000,
  });
}, 300_000);

describe("muniops plan", () => {
  it("writes a preview JSON that parses as a PreviewDigest", () => {
    expect(run.code, run.stderr).toBe(0);
    const digest = previewDigest.parse(JSON.parse(readFileSync(out, "utf8")));
    expect(digest.steps!.some((s) => s.newState?.type === "azure-native:compute:VirtualMachine")).toBe(true);
    expect(digest.config?.["muniops:organization"]).toBe("Gemeente Leiden (ontwikkel)");
  });

  it("writes an inventory that validates against the JSON Schema", () => {
    const schema = JSON.parse(readFileSync(join(repoRoot, "contracts", "inventory.schema.json"), "utf8")) as object;
    const validate = new Ajv2020({ strict: false }).compile(schema);
    const inventory = JSON.parse(readFileSync(inventoryFile, "utf8")) as { hosts: { name: string }[] };
    expect(validate(inventory), JSON.stringify(validate.errors)).toBe(true);
    expect(inventory.hosts.map((h) => h.name).sort()).toEqual(["bel-db-01", "bz-app-01", "dc-web-01", "mgmt-prom-01"]);
  });

  it("prints resources by type and per department", () => {
    expect(run.stdout).toMatch(/Plan for stack dev: \d+ resources to create/);
    expect(run.stdout).toMatch(/│ azure-native:compute:VirtualMachine\s+│\s+4 │/);
    expect(run.stdout).toMatch(/│ belastingen\s+│\s+\d+ │\s+1 │\s+4 │\s+32 │\s+384 │\s+128 │/);
    expect(run.stderr).toContain("muniops:vpnSharedKey is not set");
  });

  it("lists what the change adds, removes and changes, per department", () => {
    const review = run.stdout.slice(run.stdout.indexOf("Changes from"));
    expect(review).toMatch(/belastingen:\n(\s+\+ .*\n)*\s+\+ azure-native:compute:VirtualMachine bel-db-01-vm/);
    expect(review).toContain("~ azure-native:compute:VirtualMachine bz-app-01-vm (hardwareProfile.vmSize)");
    expect(review).toContain("- azure-native:storage:FileShare file-shares-archief");
    expect(review).toMatch(/│ burgerzaken\s+│\s+0 │\s+1 │\s+1 │/);
  });

  it("rejects an unknown stack, a bad --compare file and a bad stack name with exit 2 and one line", async () => {
    const unknown = await runCli(["plan", "--stack", "nope"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/couldn't read stack settings .*Pulumi\.nope\.yaml: no such file/);
    const notJson = join(dir, "bad.json");
    writeFileSync(notJson, "{");
    const bad = await runCli(["plan", "--stack", "dev", "--compare", notJson]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`couldn't read --compare ${notJson}: not valid JSON`);
    const badName = await runCli(["plan", "--stack", "../etc"]);
    expect(badName.code).toBe(2);
    expect(badName.stderr).toContain("--stack");
  });
});
