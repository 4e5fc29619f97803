// The dashboard with OIDC login on, against a real provider (oidcProvider.ts), configured the way an
// operator would: through the MUNIOPS_* environment. Test accounts are keyed by the login name typed at
// the provider, which is also their subject.
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { OidcLogin } from "../../../dashboard/auth/oidcClient.js";
import { oidcConfig, oidcSettings } from "../../../dashboard/auth/oidcSettings.js";
import { start, type RunningDashboard } from "../../../dashboard/server/server.js";
import { resolveSettings } from "../../../settings.js";
import { freePort, startOidcProvider, type RunningProvider } from "./oidcProvider.js";
import { fixedNow, seededLedgerFile } from "./testServer.js";

export const clientId = "muniops-dashboard";
const clientSecret = "a-client-secret-only-the-test-knows";
const bzGroup = "5d2c8f0e-bz-group";
const belGroup = "9a41b7c3-bel-group";

/** Fresh per fixture: a test may change an account's claims between two logins. */
function testAccounts(): Record<string, Record<string, unknown>> {
  return {
    "manager-sub": {
      preferred_username: "M.deVries@leiden.example",
      name: "Marieke de Vries",
      roles: ["Muniops.ServiceManager"],
    },
    "controller-sub": {
      preferred_username: "j.jansen@leiden.example",
      name: "Jan Jansen",
      roles: ["Muniops.DepartmentController"],
      groups: [bzGroup, "some-other-group"],
    },
    "both-sub": { preferred_username: "p.pietersen@leiden.example", roles: ["Muniops.Auditor", "Muniops.Admin"] },
    "nobody-sub": { preferred_username: "k.klaassen@leiden.example", roles: ["Another.App.Role"], groups: [bzGroup] },
    "nodept-sub": {
      preferred_username: "n.nergens@leiden.example",
      roles: ["Muniops.DepartmentController"],
      groups: ["unmapped-group"],
    },
    "clash-sub": { preferred_username: "ctl-bz", roles: ["Muniops.ServiceManager"] },
    "changing-sub": { preferred_username: "w.wissel@leiden.example", roles: ["Muniops.Operator"] },
  };
}

export interface OidcDashboard {
  /** The dashboard's public URL, as the provider knows it. */
  base: string;
  callback: string;
  dashboard: RunningDashboard;
  provider: RunningProvider;
  accounts: Record<string, Record<string, unknown>>;
  close(): Promise<void>;
}

/**
 * `publicHost`: the name the browser uses for the dashboard; "localhost" makes it another site than the
 * provider at 127.0.0.1, as a real dashboard and Entra ID are.
 */
export async function startOidcDashboard(publicHost = "127.0.0.1"): Promise<OidcDashboard> {
  const seeded = await seededLedgerFile();
  const port = await freePort();
  const base = `http://${publicHost}:${port}`;
  const callback = `${base}/login/oidc/callback`;
  const accounts = testAccounts();
  const provider = await startOidcProvider({
    clientId,
    clientSecret,
    redirectUri: callback,
    postLogoutRedirectUri: `${base}/login`,
    accounts,
  });
  const env = {
    MUNIOPS_DASHBOARD_OIDC_ISSUER: provider.issuer,
    MUNIOPS_DASHBOARD_OIDC_CLIENT_ID: clientId,
    MUNIOPS_DASHBOARD_OIDC_CLIENT_SECRET: clientSecret,
    MUNIOPS_DASHBOARD_PUBLIC_URL: base,
    MUNIOPS_DASHBOARD_OIDC_ROLES:
      "Muniops.Admin=admin,Muniops.ServiceManager=service-manager," +
      "Muniops.DepartmentController=department-controller,Muniops.Operator=operator,Muniops.Auditor=auditor",
    MUNIOPS_DASHBOARD_OIDC_GROUP_DEPARTMENTS: `${bzGroup}=burgerzaken,${belGroup}=belastingen`,
  };
  const config = oidcConfig(resolveSettings(oidcSettings, { env, cwd: tmpdir() }), { host: "127.0.0.1", port });
  if (!config) throw new Error("OIDC should be configured");
  const oidc = await OidcLogin.discover(config);
  const dashboard = await start({
    databaseUrl: seeded.path,
    host: "127.0.0.1",
    port,
    sessionTtlMs: 3_600_000,
    slaTarget: 99.8,
    trustProxy: false,
    loginAttempts: 1000,
    now: () => fixedNow,
    oidc,
  });
  return {
    base,
    callback,
    dashboard,
    provider,
    accounts,
    async close() {
      await dashboard.stop();
      await provider.close();
      rmSync(seeded.dir, { recursive: true, force: true });
    },
  };
}
