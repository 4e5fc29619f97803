// Config validation: every invalid case is reported with its config path (and, from a stack file, its
// line), all problems at once, before any resource is registered.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { ConfigError } from "../../errors.js";
import { parseStackConfig, type SecretKey } from "../../stacks/config.js";
import { readStackFile } from "../../stacks/stackFile.js";
import { repoRoot } from "../helpers/cli.js";

const devFile = join(repoRoot, "Pulumi.dev.yaml");
const secrets: Partial<Record<SecretKey, pulumi.Output<string>>> = {
  vpnSharedKey: pulumi.secret("k"),
  windowsAdminPassword: pulumi.secret("p"),
};

function devValues(): Record<string, unknown> {
  return structuredClone(readStackFile(devFile).values);
}

/** The problems as "path: message" lines. */
function problemsOf(values: Record<string, unknown>, withSecrets = secrets): string[] {
  try {
    parseStackConfig("dev", values, withSecrets, "Pulumi.dev.yaml");
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  return [];
}

type Servers = { name: string; department: string; vmSize: string; tier: string; count?: number }[];

describe("stack config validation", () => {
  it("accepts the sample stacks", () => {
    expect(problemsOf(devValues())).toEqual([]);
    expect(problemsOf(readStackFile(join(repoRoot, "Pulumi.leiden-prod.yaml")).values)).toEqual([]);
  });

  it("rejects a server with an unknown department, naming the known ones", () => {
    const values = devValues();
    (values.servers as Servers)[1]!.department = "parkeren";
    expect(problemsOf(values)).toEqual([
      'muniops:servers[1].department: unknown department "parkeren" (known: ict, burgerzaken, belastingen)',
    ]);
  });

  it("rejects overlapping address spaces and overlapping subnets", () => {
    const values = devValues();
    const network = values.network as Record<string, { addressSpace: string; subnets: Record<string, string> }>;
    network.management!.addressSpace = "10.111.0.0/16";
    network.servers!.subnets.db = "10.111.0.128/25";
    expect(problemsOf(values)).toEqual(
      expect.arrayContaining([
        "muniops:network.management.addressSpace: 10.111.0.0/16 overlaps " +
          "muniops:network.servers.addressSpace (10.111.0.0/22)",
        "muniops:network.servers.subnets.db: 10.111.0.128/25 overlaps the subnet app (10.111.0.0/24)",
      ]),
    );
  });

  it("rejects a subnet outside its VNet", () => {
    const values = devValues();
    (values.network as Record<string, { subnets: Record<string, string> }>).digitalCounter!.subnets.web =
      "10.99.0.0/27";
    expect(problemsOf(values)).toEqual([
      "muniops:network.digitalCounter.subnets.web: 10.99.0.0/27 is outside the VNet's address space 10.112.0.0/24",
    ]);
  });

  it("rejects duplicate names: servers (also through count), departments and shares", () => {
    const values = devValues();
    const servers = values.servers as Servers;
    servers.push({ ...servers[0]!, name: "bz-app", count: 2 });
    (values.departments as { id: string }[])[2]!.id = "burgerzaken";
    (values.shares as { department: string }[])[1]!.department = "burgerzaken";
    const problems = problemsOf(values);
    expect(problems).toContain('muniops:departments[2].id: duplicate department id "burgerzaken"');
    expect(problems).toContain(
      'muniops:servers[2].name: duplicate server name "bz-app-01" (also muniops:servers[0].name)',
    );
    expect(problems).toContain(
      'muniops:shares[1].department: duplicate share name "burgerzaken" (also muniops:shares[0])',
    );
  });

  it("rejects an unknown VM size, listing the offered ones", () => {
    const values = devValues();
    (values.servers as Servers)[0]!.vmSize = "Standard_M416ms_v2";
    const [problem, ...rest] = problemsOf(values);
    expect(rest).toEqual([]);
    expect(problem).toMatch(
      /^muniops:servers\[0\]\.vmSize: unknown VM size "Standard_M416ms_v2" \(offered: Standard_B2s, .*Standard_D4s_v5/,
    );
  });

  it("rejects a share quota beyond the account limit", () => {
    const values = devValues();
    (values.shares as { quotaGiB: number }[])[0]!.quotaGiB = 200_000;
    expect(problemsOf(values)).toEqual([
      "muniops:shares[0].quotaGiB: 200000 GiB is beyond the account limit of 102400 GiB per share",
    ]);
  });

  it("allows only EU locations", () => {
    const values = { ...devValues(), location: "uksouth" };
    expect(problemsOf(values)[0]).toMatch(/^muniops:location: only EU locations are allowed: westeurope, northeurope/);
  });

  it("lists every problem at once, sorted by path, and asks for missing secrets", () => {
    const values = devValues();
    (values.servers as Servers)[0]!.department = "x";
    (values.servers as Servers)[1]!.tier = "frontend";
    const problems = problemsOf(values, {});
    expect(problems).toEqual([
      'muniops:servers[0].department: unknown department "x" (known: ict, burgerzaken, belastingen)',
      'muniops:servers[1].tier: unknown tier "frontend" (the servers spoke\'s subnets: app, db)',
      "muniops:vpnSharedKey: missing; set it with `pulumi config set --secret muniops:vpnSharedKey`",
    ]);
  });

  it("reports schema errors with their path (wrong types, unknown keys)", () => {
    const values = devValues();
    (values.departments as Record<string, unknown>[])[1]!.costCenter = "4100";
    (values.servers as Record<string, unknown>[])[0]!.colour = "blue";
    const problems = problemsOf(values);
    expect(problems).toContain("muniops:departments[1].costCenter: a cost centre looks like KP-4100");
    expect(problems.some((p) => p.startsWith("muniops:servers[0]: ") && p.includes("colour"))).toBe(true);
  });

  it("points at the file and line of a problem in Pulumi.<stack>.yaml", () => {
    const dir = mkdtempSync(join(tmpdir(), "muniops-stack-"));
    const file = join(dir, "Pulumi.test.yaml");
    const values = devValues();
    (values.servers as Servers)[1]!.vmSize = "Standard_Huge";
    const text = stringify({ config: Object.fromEntries(Object.entries(values).map(([k, v]) => [`muniops:${k}`, v])) });
    writeFileSync(file, text);
    const stackFile = readStackFile(file);
    const line = text.split("\n").findIndex((l) => l.includes("Standard_Huge")) + 1;
    try {
      parseStackConfig("test", stackFile.values, secrets, (path) => stackFile.locate(path));
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toContain(
        `Pulumi.test.yaml:${line}: muniops:servers[1].vmSize: unknown VM size "Standard_Huge"`,
      );
    }
  });

  it("names the file when the stack settings are missing or not YAML", () => {
    const dir = mkdtempSync(join(tmpdir(), "muniops-stack-"));
    expect(() => readStackFile(join(dir, "Pulumi.nope.yaml"))).toThrow(
      `couldn't read stack settings ${join(dir, "Pulumi.nope.yaml")}: no such file`,
    );
    const broken = join(dir, "Pulumi.broken.yaml");
    writeFileSync(broken, "config:\n  muniops:organization: [unclosed\n");
    expect(() => readStackFile(broken)).toThrow(new RegExp(`couldn't read stack settings ${broken}:\\d+: `));
  });
});
