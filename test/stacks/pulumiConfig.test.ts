// The config path of a real `pulumi up`: values arrive through pulumi.Config (objects as JSON text,
// secrets decrypted by the engine) and must give the same validated config as the offline plan.
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { afterEach, describe, expect, it } from "vitest";
import { parseStackConfig } from "../../stacks/config.js";
import { readPulumiConfig } from "../../stacks/pulumiConfig.js";
import { readStackFile } from "../../stacks/stackFile.js";
import { repoRoot } from "../helpers/cli.js";
import { joinedRegExp } from "../helpers/joinedRegExp.js";

function engineConfig(file: string, extra: Record<string, string> = {}): Record<string, string> {
  // The engine passes every value as a string: objects and lists as JSON, plain strings as they are.
  const values = readStackFile(join(repoRoot, file)).values;
  return {
    ...Object.fromEntries(
      Object.entries(values).map(([k, v]) => [`muniops:${k}`, typeof v === "string" ? v : JSON.stringify(v)]),
    ),
    ...extra,
  };
}

afterEach(() => {
  pulumi.runtime.setAllConfig({});
});

describe("config on pulumi up", () => {
  it("reads the stack's values and secrets through pulumi.Config, like the plan reads the file", async () => {
    pulumi.runtime.setAllConfig(
      engineConfig("Pulumi.leiden-prod.yaml", {
        "muniops:vpnSharedKey": "s3cret",
        "muniops:windowsAdminPassword": "Pa55word!",
      }),
      ["muniops:vpnSharedKey", "muniops:windowsAdminPassword"],
    );
    const cfg = readPulumiConfig("leiden-prod");
    const fromFile = parseStackConfig(
      "leiden-prod",
      readStackFile(join(repoRoot, "Pulumi.leiden-prod.yaml")).values,
      { vpnSharedKey: pulumi.secret("x"), windowsAdminPassword: pulumi.secret("y") },
      "file",
    );
    expect(cfg.allServers).toEqual(fromFile.allServers);
    expect(cfg.departments).toEqual(fromFile.departments);
    expect(cfg.ddosProtection).toBe(true);
    expect(await pulumi.isSecret(cfg.secrets.vpnSharedKey)).toBe(true);
  });

  it("refuses to run without the secrets, naming the command that sets them", () => {
    pulumi.runtime.setAllConfig(engineConfig("Pulumi.leiden-prod.yaml"));
    expect(() => readPulumiConfig("leiden-prod")).toThrow(
      joinedRegExp([
        /muniops:vpnSharedKey: missing; set it with `pulumi config set --secret /,
        /muniops:vpnSharedKey`[\s\S]*muniops:windowsAdminPassword: missing/,
      ]),
    );
  });
});
