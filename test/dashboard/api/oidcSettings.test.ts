// OIDC configuration: the claim mappings from YAML and from the environment, every misconfiguration as
// one clear line naming the setting (exit 2 from the CLI, never a stack trace), and the client secret
// kept out of errors and logs.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { ConfigError, UsageError } from "../../../errors.js";
import { oidcConfig, oidcSettings } from "../../../dashboard/auth/oidcSettings.js";
import { resolveSettings } from "../../../settings.js";
import { runCli, runNode } from "../../helpers/cli.js";
import { freePort } from "./oidcProvider.js";
import { joinedRegExp } from "../../helpers/joinedRegExp.js";

const dir = mkdtempSync(join(tmpdir(), "muniops-oidc-settings-"));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const base = {
  MUNIOPS_DASHBOARD_OIDC_ISSUER: "https://login.microsoftonline.com/0000-tenant/v2.0",
  MUNIOPS_DASHBOARD_OIDC_CLIENT_ID: "app-id",
};
const listen = { host: "localhost", port: 8080 };
const closedPort = await freePort(); // nothing listens there: an unreachable issuer

function configFrom(env: Record<string, string>, yaml?: string, where = listen) {
  let configFile: string | undefined;
  if (yaml !== undefined) {
    configFile = join(dir, `c${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(configFile, yaml);
  }
  return oidcConfig(resolveSettings(oidcSettings, { env, cwd: dir, ...(configFile ? { configFile } : {}) }), where);
}

function problemOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error("expected a usage error");
}

describe("OIDC settings", () => {
  test("off without an issuer", () => {
    expect(configFrom({})).toBeUndefined();
  });

  test("a YAML mapping and environment pairs give the same claim mapping", () => {
    const yaml =
      "dashboard:\n  oidc:\n    roles:\n      Muniops.ServiceManager: service-manager\n      Muniops.Admin: " +
      "admin\n    groupDepartments:\n      5d2c-group: burgerzaken\n";
    const fromYaml = configFrom(base, yaml);
    const fromEnv = configFrom({
      ...base,
      MUNIOPS_DASHBOARD_OIDC_ROLES: "Muniops.ServiceManager=service-manager, Muniops.Admin=admin",
      MUNIOPS_DASHBOARD_OIDC_GROUP_DEPARTMENTS: "5d2c-group=burgerzaken",
    });
    expect(fromYaml?.mapping).toEqual({
      roleClaim: "roles",
      roles: { "Muniops.ServiceManager": "service-manager", "Muniops.Admin": "admin" },
      departmentClaim: undefined,
      groupClaim: "groups",
      groupDepartments: { "5d2c-group": "burgerzaken" },
    });
    expect(fromEnv?.mapping).toEqual(fromYaml?.mapping);
  });

  test("derives the callback from the public URL, or from localhost and the port", () => {
    expect(configFrom(base)?.redirectUri).toBe("http://localhost:8080/login/oidc/callback");
    const behindProxy = configFrom(
      { ...base, MUNIOPS_DASHBOARD_PUBLIC_URL: "https://muniops.leiden.example/" },
      undefined,
      { host: "0.0.0.0", port: 8080 },
    );
    expect(behindProxy).toMatchObject({
      redirectUri: "https://muniops.leiden.example/login/oidc/callback",
      postLogoutRedirectUri: "https://muniops.leiden.example/login",
    });
    expect(problemOf(() => configFrom(base, undefined, { host: "0.0.0.0", port: 8080 }))).toMatch(
      /set dashboard\.publicUrl \(--public-url\)/,
    );
  });

  test("an unknown role names the key, the value and the valid roles", () => {
    const message = problemOf(() => configFrom({ ...base, MUNIOPS_DASHBOARD_OIDC_ROLES: "Muniops.Boss=boss" }));
    expect(message).toContain("MUNIOPS_DASHBOARD_OIDC_ROLES: dashboard.oidc.roles.Muniops.Boss:");
    expect(message).toContain("admin, service-manager, department-controller, operator, auditor");
    expect(problemOf(() => configFrom({ ...base, MUNIOPS_DASHBOARD_OIDC_GROUP_DEPARTMENTS: "g1" }))).toMatch(
      /"g1" is not a claim=value pair/,
    );
    expect(
      problemOf(() => configFrom(base, "dashboard:\n  oidc:\n    groupDepartments:\n      g1: Burger Zaken\n")),
    ).toMatch(/dashboard\.oidc\.groupDepartments\.g1: a department id/);
  });

  test("the issuer must be https (http only on the loopback), and issuer and client id come together", () => {
    expect(
      problemOf(() => configFrom({ ...base, MUNIOPS_DASHBOARD_OIDC_ISSUER: "http://login.example/tenant" })),
    ).toMatch(/dashboard\.oidc\.issuer: the issuer must be an https:\/\/ URL/);
    expect(problemOf(() => configFrom({ ...base, MUNIOPS_DASHBOARD_OIDC_ISSUER: "not a url" }))).toMatch(
      /dashboard\.oidc\.issuer/,
    );
    expect(configFrom({ ...base, MUNIOPS_DASHBOARD_OIDC_ISSUER: "http://127.0.0.1:9000" })?.issuer.href).toBe(
      "http://127.0.0.1:9000/",
    );
    expect(problemOf(() => configFrom({ MUNIOPS_DASHBOARD_OIDC_ISSUER: base.MUNIOPS_DASHBOARD_OIDC_ISSUER }))).toMatch(
      /dashboard\.oidc\.clientId is not/,
    );
    expect(problemOf(() => configFrom({ MUNIOPS_DASHBOARD_OIDC_CLIENT_ID: "x" }))).toMatch(
      /dashboard\.oidc\.issuer is not/,
    );
    expect(problemOf(() => configFrom({ ...base, MUNIOPS_DASHBOARD_OIDC_SCOPES: "profile,email" }))).toMatch(
      /must include openid/,
    );
  });

  test("the client secret comes from the environment or a file, never echoed in errors", () => {
    const file = join(dir, "secret");
    writeFileSync(file, "from-a-file\n");
    expect(configFrom({ ...base, MUNIOPS_DASHBOARD_OIDC_CLIENT_SECRET_FILE: file })?.clientSecret).toBe("from-a-file");
    expect(configFrom({ ...base, MUNIOPS_DASHBOARD_OIDC_CLIENT_SECRET: "from-env" })?.clientSecret).toBe("from-env");
    expect(
      problemOf(() =>
        configFrom({
          ...base,
          MUNIOPS_DASHBOARD_OIDC_CLIENT_SECRET: "a",
          MUNIOPS_DASHBOARD_OIDC_CLIENT_SECRET_FILE: file,
        }),
      ),
    ).toMatch(/not both/);
    expect(
      problemOf(() => configFrom({ ...base, MUNIOPS_DASHBOARD_OIDC_CLIENT_SECRET_FILE: join(dir, "missing") })),
    ).toMatch(/couldn't read dashboard\.oidc\.clientSecretFile .*ENOENT/);
    let caught: unknown;
    try {
      configFrom({ ...base, MUNIOPS_DASHBOARD_OIDC_CLIENT_SECRET: "S".repeat(5000) });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as Error).message).toContain("dashboard.oidc.clientSecret");
    expect((caught as Error).message).not.toContain("SSSS");
  });
});

describe("muniops dashboard with OIDC misconfigured", () => {
  const secret = "never-in-any-output-7f3a";
  const env = { MUNIOPS_DASHBOARD_OIDC_CLIENT_SECRET: secret, MUNIOPS_LOG_LEVEL: "debug" };
  const database = () => [
    "--database-url",
    join(dir, "ledger.db"),
    "--port",
    "0",
    "--public-url",
    "http://localhost:8080",
  ];

  test.each([
    [
      "a bad issuer URL",
      ["--oidc-issuer", "ftp://login.example", "--oidc-client-id", "x"],
      joinedRegExp([
        /^muniops: invalid configuration \(1 problem\):\n {2}--oidc-issuer: dashboard\.oidc\.issuer: the /,
        /issuer must be an https:\/\/ URL/,
      ]),
    ],
    [
      "an unreachable " + "issuer",
      ["--oidc-issuer", `http://127.0.0.1:` + `${closedPort}`, "--oidc-client-id", "x"],
      new RegExp(
        `^muniops: couldn't ` +
          `discover the ` +
          `OIDC ` +
          `issuer ` +
          `http://127\\.0\\.0\\.1:${closedPort}/ ` +
          `\\(dashboard\\.oidc\\.issuer\\): connect ECONNREFUSED 127\\.0\\.0\\.1:${closedPort}\n$`,
      ),
    ],
    [
      "an issuer without client id",
      ["--oidc-issuer", "https://login.example/tenant/v2.0"],
      /dashboard\.oidc\.clientId is not/,
    ],
  ])(
    "%s: one clear line, exit 2",
    async (_name, args, expected) => {
      const result = await runCli(["dashboard", ...database(), ...args], { env });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(expected);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(result.stderr + result.stdout).not.toContain(secret);
    },
    60_000,
  );

  test("the settings are in the configuration reference, the secret marked as such", async () => {
    const result = await runCli(["config", "reference"]);
    expect(result.code).toBe(0);
    for (const key of [
      "dashboard.oidc.issuer",
      "dashboard.oidc.clientId",
      "dashboard.oidc.roles",
      "dashboard.oidc.groupDepartments",
      "dashboard.publicUrl",
    ])
      expect(result.stdout).toContain(`\`${key}\``);
    expect(result.stdout).toMatch(
      /`dashboard\.oidc\.clientSecret` \| – \| `MUNIOPS_DASHBOARD_OIDC_CLIENT_SECRET` \|[^\n]*secret: never echoed/,
    );
  }, 60_000);

  test("the logger redacts a client secret wherever it is logged", async () => {
    const script =
      `import { createLogger } from ${JSON.stringify(join(process.cwd(), "logger.ts"))}; createLogger("info", ` +
      `false).info({ clientSecret: "${secret}", oidc: { clientSecret: "${secret}", client_secret: "${secret}" ` +
      `} }, "configured");`;
    const result = await runNode(["--import", "tsx", "--input-type=module", "-e", script]);
    expect(result.stderr).toContain("[redacted]");
    expect(result.stderr).not.toContain(secret);
  }, 60_000);
});
