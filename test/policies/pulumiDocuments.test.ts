// `muniops audit` on what real Pulumi users hand over: previews with and without --show-sames, failed
// previews, secrets, several steps per resource, the streaming form and `pulumi stack export`. The
// documents come from test/fixtures/policies/pulumiDocuments.ts, which builds each from the pulumi/pulumi
// source that defines it. Each case asserts the exit code and the exact findings.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { exitCodeOf } from "../../errors.js";
import { runAudit } from "../../policies/audit/run.js";
import { audit } from "../../policies/audit/evaluate.js";
import { parsePulumiDocument } from "../../policies/audit/pulumiDocument.js";
import { emptyWaivers } from "../../policies/waivers.js";
import { compliantSpecs, tags, urnOf } from "../fixtures/policies/compliantPreview.js";
import {
  config,
  deployedStack,
  encryptedSecret,
  engineEventLines,
  plaintextSecret,
  previewDocument,
  providerRef,
  refreshStep,
  replacementSteps,
  resourceNamed,
  sameStep,
  stack,
  stackExportDocument,
  stackUrn,
  updateStep,
  type Deployed,
  type Step,
} from "../fixtures/policies/pulumiDocuments.js";
import { repoRoot, runCli } from "../helpers/cli.js";

const noWaivers = join(repoRoot, "test", "fixtures", "policies", "no-waivers.yaml");
let dir: string;
let counter = 0;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "muniops-pulumi-docs-"));
});

interface Outcome {
  code: number;
  /** `outcome/level policy resource`, sorted. */
  findings: string[];
  summary: Record<string, unknown> | undefined;
  error: string | undefined;
  notices: string[];
  findingsFull: { outcome: string; reason?: string; policyId: string; name?: string; message: string }[];
}

function write(document: unknown): string {
  const path = join(dir, `doc-${++counter}.json`);
  writeFileSync(path, typeof document === "string" ? document : JSON.stringify(document, null, 4));
  return path;
}

async function auditOf(document: unknown, options: { allowPartial?: boolean } = {}): Promise<Outcome> {
  const preview = write(document);
  const out = join(dir, `report-${counter}.json`);
  const notices: string[] = [];
  let code = 0;
  let error: string | undefined;
  try {
    await runAudit({
      preview,
      format: "json",
      out,
      waivers: noWaivers,
      notice: (line) => notices.push(line),
      allowPartial: options.allowPartial,
    });
  } catch (caught) {
    code = exitCodeOf(caught);
    error = caught instanceof Error ? caught.message : String(caught);
  }
  let report: { summary: Record<string, unknown>; findings: Outcome["findingsFull"] } | undefined;
  try {
    report = JSON.parse(readFileSync(out, "utf8")) as typeof report;
  } catch {
    report = undefined;
  }
  const findingsFull = report?.findings ?? [];
  return {
    code,
    findings: findingsFull
      .map((f) => `${f.outcome}${f.reason ? `(${f.reason})` : ""} ${f.policyId} ${f.name ?? "(stack)"}`)
      .sort(),
    summary: report?.summary,
    error,
    notices,
    findingsFull,
  };
}

const deployed = deployedStack();
const storage = resourceNamed(deployed, "stbzshares");
const nsg = resourceNamed(deployed, "nsg-app");
const vm = resourceNamed(deployed, "bz-app-01");
const resourceCount = deployed.length - 2; // less the root stack and the default provider
const inputsOf = (r: Deployed): Record<string, unknown> => structuredClone(r.inputs ?? {});

describe("previews of an existing stack", () => {
  it("--show-sames with one compliant update: audits every resource, PASS, exit 0", async () => {
    const result = await auditOf(
      previewDocument([updateStep(storage, { ...inputsOf(storage), accessTier: "Cool" }, ["accessTier"])], {
        showSames: true,
      }),
    );
    expect(result.code).toBe(0);
    expect(result.findings).toEqual([]);
    expect(result.summary).toMatchObject({
      audited: resourceCount,
      total: resourceCount,
      partial: false,
      passed: true,
      document: "preview",
    });
    expect(result.notices.at(-1)).toMatch(new RegExp(`^PASS: audited ${resourceCount} of ${resourceCount} resources,`));
  });

  it("an update that breaks a rule is judged on the program's new inputs, not the deployed outputs", async () => {
    const result = await auditOf(
      previewDocument(
        [updateStep(storage, { ...inputsOf(storage), minimumTlsVersion: "TLS1_0" }, ["minimumTlsVersion"])],
        { showSames: true },
      ),
    );
    expect(result.code).toBe(1);
    expect(result.findings).toEqual(["fail storage-account-require-tls12 stbzshares"]);
  });

  it("without --show-sames (partial): refused with exit 2 naming --show-sames; no verdict at all", async () => {
    const vmInputs = inputsOf(vm);
    const document = previewDocument(
      [updateStep(vm, { ...vmInputs, tags: { ...tags(), service: "burgerzaken-portaal" } }, ["tags"])],
      { showSames: false },
    );
    const result = await auditOf(document);
    expect(result.code).toBe(2);
    expect(result.error).toContain(
      `${resourceCount - 1} unchanged resources are not in the document (it was made without --show-sames): ` +
        `run \`pulumi preview --json --show-sames\``,
    );
    expect(result.error).toContain("--allow-partial");
    expect(result.summary).toBeUndefined();
  });

  it(
    "--allow-partial: resource policies on what is printed, stack policies skipped and listed, never a false " +
      "'no backup'",
    async () => {
      const document = previewDocument(
        [updateStep(vm, { ...inputsOf(vm), tags: { ...tags(), service: "burgerzaken-portaal" } }, ["tags"])],
        { showSames: false },
      );
      const result = await auditOf(document, { allowPartial: true });
      // The VM's ProtectedItem is unchanged and not printed: a stack policy would report "no backup".
      expect(result.findings).toEqual([]);
      expect(result.code).toBe(0);
      expect(result.summary).toMatchObject({ audited: 1, total: resourceCount, partial: true });
      expect((result.summary?.skipped as { policyId: string }[]).map((s) => s.policyId).sort()).toEqual([
        "azure-department-require-cost-centre",
        "compute-virtualmachine-require-backup",
        "monitor-diagnosticsetting-require-critical-resources",
        "network-networksecuritygroup-require-flow-log",
        "network-networkwatcher-require-per-location",
        "network-subnet-require-nsg",
      ]);
      expect(result.notices.at(-1)).toMatch(
        new RegExp(`^PASS: audited 1 of ${resourceCount} resources \\(partial preview\\), .*6 stack policies skipped$`),
      );
    },
  );

  it(
    "a preview with no changes and no --show-sames is refused; with --allow-partial it is no verdict (exit 2), " +
      "never PASS",
    async () => {
      const document = previewDocument([], { showSames: false });
      expect((await auditOf(document)).code).toBe(2);
      const allowed = await auditOf(document, { allowPartial: true });
      expect(allowed.code).toBe(2);
      expect(allowed.error).toContain("nothing audited");
      expect(allowed.summary).toMatchObject({ audited: 0, passed: false });
      expect(allowed.notices.at(-1)).toMatch(/^NO VERDICT: audited 0 of \d+ resources \(partial preview\)/);
    },
  );

  it("a document with no changeSummary and only updates cannot tell what it leaves out: refused", async () => {
    const document = previewDocument([updateStep(storage, inputsOf(storage), ["tags"])], { showSames: false });
    delete document.changeSummary;
    const result = await auditOf(document);
    expect(result.code).toBe(2);
    expect(result.error).toContain("has no changeSummary");
  });
});

describe("failed previews", () => {
  it(
    "failed half-way (an error diagnostic; the failed resource has no step): exit 2 with each error and its " +
      "URN, never PASS",
    async () => {
      const failedUrn = urnOf(stack, "azure-native:compute:VirtualMachine", "bz-app-02");
      const document = previewDocument([], {
        showSames: true,
        diagnostics: [
          {
            urn: failedUrn,
            message:
              "azure-native:compute:VirtualMachine resource 'bz-app-02': property hardwareProfile.vmSize value " +
              "{Standard_D4s_v9} is not valid",
            severity: "error",
          },
          { urn: stackUrn, message: "preview failed", severity: "error" },
          { message: "using pulumi-language-nodejs from $PATH", severity: "warning" },
        ],
      });
      const result = await auditOf(document);
      expect(result.code).toBe(2);
      expect(result.error).toContain("the preview failed; Pulumi reported 2 errors:");
      expect(result.error).toContain(
        `${failedUrn}: azure-native:compute:VirtualMachine resource 'bz-app-02': property ` +
          `hardwareProfile.vmSize value {Standard_D4s_v9} is not valid`,
      );
      expect(result.error).toContain(`${stackUrn}: preview failed`);
      expect(result.error).not.toContain("pulumi-language-nodejs");
      expect(result.summary).toBeUndefined();
    },
  );

  it("failed before any step (no `steps` key, omitempty): Pulumi's own error, not 'not a preview'", async () => {
    const document = {
      config,
      diagnostics: [
        { message: "error: Missing required configuration variable 'muniops:vpnSharedKey'\n", severity: "error" },
      ],
      duration: 1_904_000_000,
    };
    const result = await auditOf(document);
    expect(result.code).toBe(2);
    expect(result.error).toContain("(stack): error: Missing required configuration variable 'muniops:vpnSharedKey'");
    expect(result.error).not.toContain("not a `pulumi preview --json` document");
  });

  it("end to end: the CLI prints Pulumi's errors and exits 2", async () => {
    const document = {
      diagnostics: [
        { urn: stackUrn, message: "TypeError: Cannot read properties of undefined (reading 'id')", severity: "error" },
      ],
    };
    const result = await runCli(["audit", write(document), "--waivers", noWaivers]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${stackUrn}: TypeError: Cannot read properties of undefined (reading 'id')`);
    expect(result.stdout).not.toContain("PASS");
  });
});

describe("secrets", () => {
  it('tags that are "[secret]" give no "missing tags" violation: unknown, reason secret', async () => {
    const result = await auditOf(
      previewDocument([updateStep(storage, { ...inputsOf(storage), tags: "[secret]" }, ["tags"])], { showSames: true }),
    );
    const onStorage = result.findingsFull.filter((f) => f.name === "stbzshares");
    expect(onStorage.filter((f) => f.outcome === "fail")).toEqual([]);
    expect(
      onStorage
        .filter((f) => f.outcome === "unknown" && f.reason === "secret")
        .map((f) => f.policyId)
        .sort(),
    ).toEqual([
      "azure-resource-require-known-department",
      "azure-resource-require-known-environment",
      "azure-resource-require-managed-by-pulumi",
      "azure-resource-require-tags",
    ]);
    expect(result.code).toBe(0);
  });

  it("an NSG whose rules are secret does not silently pass: the internet-exposure policies are unknown", async () => {
    const result = await auditOf(
      previewDocument([updateStep(nsg, { ...inputsOf(nsg), securityRules: "[secret]" }, ["securityRules"])], {
        showSames: true,
      }),
    );
    expect(result.findings).toEqual([
      "unknown(secret) network-networksecuritygroup-disallow-internet-any-port nsg-app",
      "unknown(secret) network-networksecuritygroup-disallow-internet-rdp nsg-app",
      "unknown(secret) network-networksecuritygroup-disallow-internet-ssh nsg-app",
    ]);
    expect(result.summary).toMatchObject({ unknown: 3, passed: true });
  });

  it("a secret deep in one rule's property path is unknown too; the table lists it", async () => {
    const rules = inputsOf(nsg).securityRules as Record<string, unknown>[];
    rules[1] = { ...rules[1], sourceAddressPrefix: "[secret]" };
    const path = write(
      previewDocument([updateStep(nsg, { ...inputsOf(nsg), securityRules: rules }, ["securityRules"])], {
        showSames: true,
      }),
    );
    const result = await runCli(["audit", path, "--waivers", noWaivers]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("UNKNOWN (secret)");
    expect(result.stdout).toContain(".securityRules.1.sourceAddressPrefix is a secret the");
  });
});

describe("several steps for one resource", () => {
  const badInputs = { ...inputsOf(storage), minimumTlsVersion: "TLS1_0", kind: "BlobStorage" };

  it("--show-replacement-steps: create-replacement + replace + delete-replaced are one evaluation", async () => {
    const result = await auditOf(
      previewDocument(replacementSteps(storage, badInputs, ["kind"], true), { showSames: true }),
    );
    expect(result.code).toBe(1);
    expect(result.findings).toEqual(["fail storage-account-require-tls12 stbzshares"]);
    expect(result.summary).toMatchObject({ audited: resourceCount });
  });

  it("without it, the one replace step gives the same finding", async () => {
    const result = await auditOf(
      previewDocument(replacementSteps(storage, badInputs, ["kind"], false), { showSames: true }),
    );
    expect(result.findings).toEqual(["fail storage-account-require-tls12 stbzshares"]);
  });

  it("--refresh: the refreshed (drifted) state is not judged when the program's next step fixes it", async () => {
    const drifted = { ...inputsOf(storage), minimumTlsVersion: "TLS1_0" };
    const fix = updateStep(storage, inputsOf(storage), ["minimumTlsVersion"]);
    const result = await auditOf(previewDocument([refreshStep(storage, drifted), fix], { showSames: true }));
    expect(result.code).toBe(0);
    expect(result.findings).toEqual([]);
  });

  it(
    "--refresh without --show-sames: a resource shown only by its refresh step counts as seen (its same step " +
      "is hidden)",
    async () => {
      const refreshes = deployed
        .filter((r) => r.urn !== stackUrn && !r.urn.includes("pulumi:providers"))
        .map((r) => refreshStep(r, r.inputs ?? {}));
      const document = previewDocument(refreshes, { showSames: false });
      // The engine still counts each of those resources as "same".
      (document.changeSummary as Record<string, number>).same = resourceCount + 1;
      const result = await auditOf(document);
      expect(result.code).toBe(0);
      expect(result.summary).toMatchObject({ audited: resourceCount, total: resourceCount, partial: false });
    },
  );

  it("delete, read and discard steps are not evaluated; import is", async () => {
    const external = {
      ...resourceNamed(deployed, "law-central"),
      urn: urnOf(stack, "azure-native:storage:StorageAccount", "st-extern"),
      type: "azure-native:storage:StorageAccount",
      inputs: { ...inputsOf(storage), minimumTlsVersion: "TLS1_0" },
    };
    const gone = {
      ...storage,
      urn: urnOf(stack, "azure-native:storage:StorageAccount", "st-old"),
      inputs: { ...inputsOf(storage), minimumTlsVersion: "TLS1_0" },
    };
    const imported = {
      ...storage,
      urn: urnOf(stack, "azure-native:storage:StorageAccount", "st-imported"),
      inputs: { ...inputsOf(storage), allowBlobPublicAccess: true },
    };
    const steps: Step[] = [
      { op: "read", urn: external.urn, provider: providerRef, newState: external, detailedDiff: null },
      { op: "delete", urn: gone.urn, provider: providerRef, oldState: gone, detailedDiff: null },
      {
        op: "discard",
        urn: gone.urn.replace("st-old", "st-forgotten"),
        provider: providerRef,
        oldState: { ...gone, urn: gone.urn.replace("st-old", "st-forgotten") },
        detailedDiff: null,
      },
      { op: "import", urn: imported.urn, provider: providerRef, newState: imported, detailedDiff: null },
    ];
    const result = await auditOf(previewDocument(steps, { showSames: true }));
    // The imported account is judged like any other: public blobs, and no diagnostic setting sends its logs.
    expect(result.findings).toEqual([
      "fail monitor-diagnosticsetting-require-critical-resources st-imported",
      "fail storage-account-disallow-public-blob-access st-imported",
    ]);
    expect(result.summary).toMatchObject({ audited: resourceCount + 1 });
  });

  it("an operation a newer CLI adds is tolerated: warned, evaluated when it carries a newState", async () => {
    const bad = { ...storage, inputs: { ...inputsOf(storage), minimumTlsVersion: "TLS1_1" } };
    const steps: Step[] = [
      {
        op: "transmogrify",
        urn: storage.urn,
        provider: providerRef,
        oldState: storage,
        newState: bad,
        detailedDiff: null,
      },
    ];
    const result = await auditOf(previewDocument(steps, { showSames: true }));
    expect(result.notices[0]).toBe(
      `warning: ${storage.urn}: unknown step operation "transmogrify" (a newer Pulumi CLI?); its new state ` +
        `is evaluated`,
    );
    expect(result.findings).toEqual(["fail storage-account-require-tls12 stbzshares"]);
  });

  it("outputs unknown during preview give no verdict, as CrossGuard's proxy does", async () => {
    const inputs = { ...inputsOf(storage), minimumTlsVersion: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" };
    const result = await auditOf(
      previewDocument([updateStep(storage, inputs, ["minimumTlsVersion"])], { showSames: true }),
    );
    expect(result.findings).toEqual(["unknown(preview) storage-account-require-tls12 stbzshares"]);
    expect(result.code).toBe(0);
  });
});

describe("pulumi stack export (deployment v3)", () => {
  it(
    "audits what is deployed: resource policies on inputs, " + "stack policies on outputs; pending deletes left out",
    async () => {
      const resources = deployedStack();
      // The old half of a replacement still to be deleted: not what the stack runs on.
      resources.push({ ...storage, inputs: { ...inputsOf(storage), minimumTlsVersion: "TLS1_0" }, delete: true });
      const result = await auditOf(stackExportDocument(resources));
      expect(result.code).toBe(0);
      expect(result.findings).toEqual([]);
      expect(result.summary).toMatchObject({
        audited: resourceCount,
        total: resourceCount,
        partial: false,
        document: "stack-export",
        passed: true,
      });
    },
  );

  it(
    "stack policies read outputs: a protected item whose deployed properties name no VM leaves the VM without " +
      "backup",
    async () => {
      const resources = deployedStack().map((r) => {
        if (!r.urn.endsWith("::bz-app-01-backup")) return r;
        const { dependencies: _d, propertyDependencies: _p, ...rest } = r;
        return {
          ...rest,
          outputs: { ...r.outputs, properties: { protectedItemType: "Microsoft.Sql/servers/databases" } },
        };
      });
      const result = await auditOf(stackExportDocument(resources));
      expect(result.code).toBe(1);
      expect(result.findings).toEqual(["fail compute-virtualmachine-require-backup bz-app-01"]);
    },
  );

  it("an encrypted secret is unknown (reason secret); a --show-secrets plaintext is judged as its value", async () => {
    const resources = deployedStack().map((r) => {
      if (r.urn === storage.urn) return { ...r, inputs: { ...r.inputs, tags: encryptedSecret() } };
      if (r.urn === nsg.urn)
        return {
          ...r,
          inputs: {
            ...r.inputs,
            securityRules: plaintextSecret([
              {
                name: "ssh",
                access: "Allow",
                direction: "Inbound",
                priority: 100,
                protocol: "Tcp",
                sourceAddressPrefix: "*",
                sourcePortRange: "*",
                destinationAddressPrefix: "*",
                destinationPortRange: "22",
              },
            ]),
          },
        };
      return r;
    });
    const result = await auditOf(stackExportDocument(resources));
    expect(result.findings.filter((f) => f.includes("nsg-app"))).toEqual([
      "fail network-networksecuritygroup-disallow-internet-ssh nsg-app",
    ]);
    expect(result.findings.filter((f) => f.includes("stbzshares"))).toEqual([
      "unknown(secret) azure-resource-require-known-department stbzshares",
      "unknown(secret) azure-resource-require-known-environment stbzshares",
      "unknown(secret) azure-resource-require-managed-by-pulumi stbzshares",
      "unknown(secret) azure-resource-require-tags stbzshares",
    ]);
    expect(result.code).toBe(1);
  });

  it("an export of an older deployment version is refused with what to do", async () => {
    const result = await auditOf({ version: 2, deployment: { manifest: {}, resources: [] } });
    expect(result.code).toBe(2);
    expect(result.error).toContain("deployment version 2: export it again with a current Pulumi CLI");
  });

  it("an empty stack's export is no verdict (exit 2), never PASS", async () => {
    const result = await auditOf(stackExportDocument([{ urn: stackUrn, custom: false, type: "pulumi:pulumi:Stack" }]));
    expect(result.code).toBe(2);
    expect(result.summary).toMatchObject({ audited: 0, passed: false, document: "stack-export" });
  });
});

describe("the streaming preview (PULUMI_ENABLE_STREAMING_JSON_PREVIEW)", () => {
  const change = updateStep(storage, { ...inputsOf(storage), minimumTlsVersion: "TLS1_0" }, ["minimumTlsVersion"]);

  it("is read, not called invalid JSON; without dependencies it needs --allow-partial for stack policies", async () => {
    const result = await auditOf(engineEventLines(previewDocument([change], { showSames: true })));
    expect(result.code).toBe(2);
    expect(result.error).toContain("is a streaming preview (PULUMI_ENABLE_STREAMING_JSON_PREVIEW)");
    expect(result.error).not.toContain("not valid JSON");
  });

  it(
    "with --allow-partial: resource policies on every resource " + "of the stream, stack policies listed as skipped",
    async () => {
      const result = await auditOf(engineEventLines(previewDocument([change], { showSames: false })), {
        allowPartial: true,
      });
      expect(result.code).toBe(1);
      expect(result.findings).toEqual(["fail storage-account-require-tls12 stbzshares"]);
      expect(result.summary).toMatchObject({
        document: "engine-events",
        audited: 1,
        total: resourceCount,
        partial: true,
      });
      expect((result.summary?.skipped as unknown[]).length).toBe(6);
    },
  );

  it("a failed streaming preview reports Pulumi's errors from its diagnostic events", async () => {
    const lines = engineEventLines(
      previewDocument([], {
        showSames: true,
        diagnostics: [{ urn: vm.urn, message: "quota exceeded for Standard_D4s_v5 in westeurope", severity: "error" }],
      }),
    );
    const result = await auditOf(lines);
    expect(result.code).toBe(2);
    expect(result.error).toContain(`${vm.urn}: error: quota exceeded for Standard_D4s_v5 in westeurope`);
  });
});

describe("property: order and unchanged compliant resources do not change the verdict", () => {
  const findingsOf = (document: unknown): string[] =>
    audit(parsePulumiDocument(JSON.stringify(document), "property"), { waivers: emptyWaivers })
      .findings.map((f) => `${f.outcome} ${f.policyId} ${f.urn ?? ""} ${f.message}`)
      .sort();
  const violating = previewDocument(
    [
      updateStep(storage, { ...inputsOf(storage), minimumTlsVersion: "TLS1_0" }, ["minimumTlsVersion"]),
      ...replacementSteps(
        nsg,
        {
          ...inputsOf(nsg),
          securityRules: [
            {
              name: "rdp",
              access: "Allow",
              direction: "Inbound",
              priority: 100,
              protocol: "Tcp",
              sourceAddressPrefix: "Internet",
              sourcePortRange: "*",
              destinationAddressPrefix: "*",
              destinationPortRange: "3389",
            },
          ],
        },
        ["securityRules"],
        true,
      ),
      refreshStep(vm, inputsOf(vm)),
    ],
    { showSames: true },
  );
  const baseline = findingsOf(violating);

  it("the baseline has the violations it was built with", () => {
    expect(baseline.some((f) => f.includes("storage-account-require-tls12"))).toBe(true);
    expect(baseline.some((f) => f.includes("disallow-internet-rdp"))).toBe(true);
  });

  it("any shuffle of the steps gives the same findings", () => {
    const steps = violating.steps as Step[];
    fc.assert(
      fc.property(fc.shuffledSubarray(steps, { minLength: steps.length, maxLength: steps.length }), (shuffled) => {
        expect(findingsOf({ ...violating, steps: shuffled })).toEqual(baseline);
      }),
      { numRuns: 40 },
    );
  });

  it("adding same steps of compliant resources never adds a finding", () => {
    // Compliant servers come whole: a NIC, the VM and its backup (a VM alone would rightly have no backup).
    const spare = compliantSpecs(4).filter((s) => /bz-app-0[234]/.test(s.name));
    const servers = ["bz-app-02", "bz-app-03", "bz-app-04"].map((name) =>
      deployedStack(spare).filter((r) => r.urn.includes(`::${name}`)),
    );
    fc.assert(
      fc.property(fc.subarray(servers), (chosen) => {
        const added = chosen.flat();
        const steps = [...(violating.steps as Step[]), ...added.map(sameStep)];
        const summary = { ...(violating.changeSummary as Record<string, number>) };
        summary.same = (summary.same ?? 0) + added.length;
        expect(findingsOf({ ...violating, steps, changeSummary: summary })).toEqual(baseline);
      }),
      { numRuns: 25 },
    );
  });
});
