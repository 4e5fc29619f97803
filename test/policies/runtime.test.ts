// The pack loads under the real @pulumi/policy runtime: policies/index.ts, run the way the Pulumi CLI
// runs a policy pack (in its folder, with tsx), starts CrossGuard's gRPC server and prints its port.
// We then speak the analyzer protocol to it: GetAnalyzerInfo lists every policy, and Analyze on a
// storage account with TLS 1.0 returns the same violation `muniops audit` reports.
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { policies } from "../../policies/catalog.js";
import { repoRoot } from "../helpers/cli.js";

// The generated stubs are CommonJS without usable types; require them from @pulumi/pulumi so the
// protobuf classes are the ones its serializers check with instanceof.
const pulumiRequire = createRequire(createRequire(import.meta.url).resolve("@pulumi/pulumi/package.json"));
/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-assignment,
   @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-return */
const grpc: any = pulumiRequire("@grpc/grpc-js");
const analyzerGrpc: any = pulumiRequire("./proto/analyzer_grpc_pb.js");
const analyzerPb: any = pulumiRequire("./proto/analyzer_pb.js");
const structPb: any = pulumiRequire("google-protobuf/google/protobuf/struct_pb.js");
const emptyPb: any = pulumiRequire("google-protobuf/google/protobuf/empty_pb.js");

let pack: ChildProcess | undefined;
let client: any;
const storageUrn = "urn:pulumi:dev::muniops::azure-native:storage:StorageAccount::st1";
const waivedUrn = "urn:pulumi:dev::muniops::azure-native:storage:StorageAccount::st-legacy";

beforeAll(async () => {
  // A waiver for one of the two accounts, passed the way operators point the pack at another file.
  const waivers = join(mkdtempSync(join(tmpdir(), "muniops-pack-")), "waivers.yaml");
  const today = new Date();
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  writeFileSync(
    waivers,
    [
      "schemaVersion: 1",
      "waivers:",
      "  - id: WVR-TEST-001",
      "    policies: [storage-account-require-tls12]",
      `    scope: { urns: ["${waivedUrn}"] }`,
      "    category: Waiver",
      "    justification: Legacy scanner only speaks TLS 1.0; replaced next quarter.",
      "    riskOwner: CISO",
      "    riskAnalysis: RA-2026-001",
      "    approvedBy: CISO",
      `    approvedOn: ${iso(new Date(today.getTime() - 86_400_000))}`,
      "    ticket: TOPdesk T-1",
      `    expiresOn: ${iso(new Date(today.getTime() + 90 * 86_400_000))}`,
    ].join("\n") + "\n",
  );
  pack = spawn(process.execPath, ["--import", "tsx", "index.ts"], {
    cwd: join(repoRoot, "policies"),
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, MUNIOPS_AUDIT_WAIVERS: waivers },
  });
  let stderr = "";
  pack.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`the pack printed no port within 30 s; stderr: ${stderr}`));
    }, 30_000);
    pack?.stdout?.once("data", (chunk: Buffer) => {
      clearTimeout(timer);
      resolve(Number(chunk.toString().trim()));
    });
    pack?.once("exit", (code) => {
      reject(new Error(`the pack exited with ${String(code)}: ${stderr}`));
    });
  });
  expect(Number.isInteger(port) && port > 0).toBe(true);
  client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
});

afterAll(() => {
  client?.close();
  pack?.kill();
});

function call<T>(method: string, request: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    client[method](request, (error: Error | null, response: T) => {
      if (error) reject(error);
      else resolve(response);
    });
  });
}

describe("the policy pack under the real CrossGuard runtime", () => {
  it("serves every policy with its enforcement level", async () => {
    const info = await call<any>("getAnalyzerInfo", new emptyPb.Empty());
    const names: string[] = info.getPoliciesList().map((p: any) => p.getName());
    expect(info.getName()).toBe("muniops-bio");
    expect(names.sort()).toEqual([...policies.map((p) => p.name), "muniops-waiver-require-valid"].sort());
    const tls = info.getPoliciesList().find((p: any) => p.getName() === "storage-account-require-tls12");
    expect(tls.getEnforcementlevel()).toBe(analyzerPb.EnforcementLevel.MANDATORY);
    expect(tls.getTagsList()).toEqual([
      "bio",
      "U.05.1",
      "bio2-8.24.04",
      "bio2-5.14.01",
      "iso27002-5.14",
      "iso27002-8.24",
      "cis-azure-3.15",
    ]);
  });

  function analyzeStorage(urn: string): Promise<any> {
    const request = new analyzerPb.AnalyzeRequest();
    request.setType("azure-native:storage:StorageAccount");
    request.setUrn(urn);
    request.setName(urn.split("::").pop());
    request.setProperties(
      structPb.Struct.fromJavaScript({
        location: "westeurope",
        tags: { department: "ict", costCenter: "KP-1000", environment: "dev", service: "shares", managedBy: "pulumi" },
        enableHttpsTrafficOnly: true,
        minimumTlsVersion: "TLS1_0",
        allowBlobPublicAccess: false,
        allowSharedKeyAccess: false,
        publicNetworkAccess: "Disabled",
        networkRuleSet: { defaultAction: "Deny" },
        encryption: { requireInfrastructureEncryption: true, keySource: "Microsoft.Keyvault" },
      }),
    );
    request.setOptions(new analyzerPb.AnalyzerResourceOptions());
    return call<any>("analyze", request);
  }

  it("analyzes a resource with the same rules as muniops audit", async () => {
    const response = await analyzeStorage(storageUrn);
    const diagnostics = response
      .getDiagnosticsList()
      .map((d: any) => [d.getPolicyname(), d.getMessage().split("\n").pop(), d.getEnforcementlevel()]);
    expect(diagnostics).toEqual([
      [
        "storage-account-require-tls12",
        'minimumTlsVersion is "TLS1_0"; set it to "TLS1_2" or newer',
        analyzerPb.EnforcementLevel.MANDATORY,
      ],
    ]);
  });

  it("reports a waived violation as advisory, naming the waiver, instead of blocking", async () => {
    const response = await analyzeStorage(waivedUrn);
    const diagnostics = response
      .getDiagnosticsList()
      .map((d: any) => [d.getPolicyname(), d.getMessage().split("\n")[0], d.getEnforcementlevel()]);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0][0]).toBe("storage-account-require-tls12");
    expect(diagnostics[0][1]).toMatch(/^\[WAIVED WVR-TEST-001 until \d{4}-\d{2}-\d{2}\] /);
    expect(diagnostics[0][2]).toBe(analyzerPb.EnforcementLevel.ADVISORY);
  });
});
