// Every setting of `muniops dashboard`, declared once (settings.ts convention). The database URL is the
// ledger's own setting, imported rather than declared again.
import { defineSetting, z } from "../../settings.js";
import { databaseUrlSetting } from "../settings.js";
import { trustProxySchema } from "./trustProxy.js";

const durationPattern = /^\d+(ms|s|m|h|d)$/;

export const dashboardHostSetting = defineSetting({
  key: "dashboard.host",
  type: "string",
  schema: z.string().min(1),
  default: "localhost",
  flag: "--host",
  description: "address the dashboard listens on (localhost by default; put a TLS proxy in front for other hosts)",
});

export const dashboardPortSetting = defineSetting({
  key: "dashboard.port",
  type: "integer",
  schema: z.number().int().min(0).max(65535),
  default: 8080,
  flag: "--port",
  description: "TCP port of the dashboard (0 picks a free one)",
});

export const sessionTtlSetting = defineSetting({
  key: "dashboard.sessionTtl",
  type: "duration",
  schema: z.string().regex(durationPattern, "a duration like 8h or 30m"),
  default: "8h",
  flag: "--session-ttl",
  description: "how long a login session lasts before the user must log in again",
});

export const slaTargetSetting = defineSetting({
  key: "dashboard.slaTarget",
  type: "number",
  schema: z.number().min(0).max(100),
  default: 99.8,
  flag: "--sla-target",
  description: "availability target of the managed-services contract, in percent per month",
});

export const trustProxySetting = defineSetting({
  key: "dashboard.trustProxy",
  type: "string",
  schema: trustProxySchema,
  default: false,
  flag: "--trust-proxy",
  description:
    "which reverse proxies' X-Forwarded-For and X-Forwarded-Proto to believe (the client address for login " +
    "throttling, https for Secure cookies); never every hop, which would let clients forge their address",
});

export const loginAttemptsSetting = defineSetting({
  key: "dashboard.loginAttempts",
  type: "integer",
  schema: z.number().int().min(1).max(1000),
  default: 5,
  flag: "--login-attempts",
  description:
    "failed logins per client address and per username before each further attempt must wait, doubling " +
    "from 1 s up to a cap (1 min per username, 15 min per address); failures are forgotten after 15 quiet minutes",
});

export const auditPreviewSetting = defineSetting({
  key: "dashboard.auditPreview",
  type: "string",
  schema: z.string().min(1).optional(),
  flag: "--audit-preview",
  description:
    "a `muniops plan` / `pulumi preview --json` file the compliance page may audit on request (unset: " +
    "uploaded reports only)",
});

export const auditWaiversSetting = defineSetting({
  key: "dashboard.auditWaivers",
  type: "string",
  schema: z.string().min(1),
  default: "policies/waivers.yaml",
  flag: "--audit-waivers",
  description:
    "waivers file (YAML) the compliance page shows and server-run audits apply; the default is the package's",
});

export const metricsTokenSetting = defineSetting({
  key: "dashboard.metricsToken",
  type: "string",
  schema: z.string().min(16, "at least 16 characters").optional(),
  secret: true,
  description:
    "bearer token Prometheus sends to scrape the dashboard's own metrics at /metrics (unset: /metrics is not " +
    "served); from the environment or the config file only, never a flag (a flag shows in `ps`)",
});

export const dashboardSettings = {
  databaseUrl: databaseUrlSetting,
  host: dashboardHostSetting,
  port: dashboardPortSetting,
  sessionTtl: sessionTtlSetting,
  slaTarget: slaTargetSetting,
  trustProxy: trustProxySetting,
  loginAttempts: loginAttemptsSetting,
  auditPreview: auditPreviewSetting,
  auditWaivers: auditWaiversSetting,
  metricsToken: metricsTokenSetting,
};
