// The settings of the optional OIDC login (Entra ID or any OpenID Connect provider), declared once
// (settings.ts convention) and turned into one checked `OidcConfig`. OIDC is off unless an issuer is set.
// The client secret has no flag, so it never shows in a process list: environment, config file, or a file
// of its own (`clientSecretFile`, for systemd credentials or mounted secrets).
import { readFileSync } from "node:fs";
import { departmentIdPattern } from "../../contracts/inventory.js";
import { UsageError } from "../../errors.js";
import { defineSetting, z, type SettingsOf } from "../../settings.js";
import { roles, type Role } from "./roles.js";

/** https, or http on the loopback interface only (a provider on the same machine, in tests and development). */
const loopbackHosts = new Set(["localhost", "127.0.0.1", "[::1]"]);
export function isAllowedOidcUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === "https:" || (url.protocol === "http:" && loopbackHosts.has(url.hostname));
  } catch {
    return false;
  }
}
const oidcUrl = (what: string) => {
  const message = `${what} must be an https:// URL (http:// only on localhost)`;
  return z.url({ error: message }).refine(isAllowedOidcUrl, message);
};

/**
 * A claim-value → target mapping. In YAML a mapping (`Muniops.Admin: admin`); from a flag or the
 * environment, comma-separated `claim=target` pairs (the setting's type is a list, so they arrive split).
 */
function claimMap<T extends string>(target: z.ZodType<T>) {
  const fromPairs = (items: unknown[], ctx: z.RefinementCtx): Record<string, unknown> => {
    const map: Record<string, unknown> = {};
    for (const item of items) {
      const text = String(item);
      const eq = text.lastIndexOf("=");
      if (eq <= 0 || eq === text.length - 1)
        ctx.addIssue({ code: "custom", message: `"${text}" is not a claim=value pair`, input: item });
      else map[text.slice(0, eq).trim()] = text.slice(eq + 1).trim();
    }
    return map;
  };
  return z.preprocess(
    (value, ctx) => (Array.isArray(value) ? fromPairs(value, ctx) : value),
    z.record(z.string().min(1), target),
  );
}

const roleName = z.enum(roles, { error: `a muniops role: ${roles.join(", ")}` });
const departmentId = z.string().regex(departmentIdPattern, "a department id such as burgerzaken");

export const oidcSettings = {
  issuer: defineSetting({
    key: "dashboard.oidc.issuer",
    type: "string",
    schema: oidcUrl("the issuer"),
    flag: "--oidc-issuer",
    description:
      "OpenID Connect issuer whose discovery document is read at start, e.g. " +
      "https://login.microsoftonline.com/<tenant-id>/v2.0 for Entra ID; unset → OIDC login off",
  }),
  clientId: defineSetting({
    key: "dashboard.oidc.clientId",
    type: "string",
    schema: z.string().min(1).max(200),
    flag: "--oidc-client-id",
    description: "the dashboard's client (application) id at the issuer",
  }),
  clientSecret: defineSetting({
    key: "dashboard.oidc.clientSecret",
    type: "string",
    schema: z.string().min(1).max(4096),
    secret: true,
    description:
      "the client secret (no flag: environment or config file); unset and no clientSecretFile → a public " +
      "client with PKCE only",
  }),
  clientSecretFile: defineSetting({
    key: "dashboard.oidc.clientSecretFile",
    type: "string",
    schema: z.string().min(1),
    flag: "--oidc-client-secret-file",
    description: "a file holding the client secret (its first line), instead of dashboard.oidc.clientSecret",
  }),
  redirectUrl: defineSetting({
    key: "dashboard.oidc.redirectUrl",
    type: "string",
    schema: oidcUrl("the redirect URL"),
    flag: "--oidc-redirect-url",
    description: "the callback URL registered at the issuer (default: dashboard.publicUrl + /login/oidc/callback)",
  }),
  scopes: defineSetting({
    key: "dashboard.oidc.scopes",
    type: "list",
    schema: z
      .array(z.string().regex(/^\S+$/, "a scope has no spaces"))
      .refine((s) => s.includes("openid"), "the scopes must include openid"),
    default: ["openid", "profile", "email"],
    flag: "--oidc-scopes",
    description: "scopes requested at login (must include openid)",
  }),
  displayName: defineSetting({
    key: "dashboard.oidc.displayName",
    type: "string",
    schema: z.string().min(1).max(60),
    default: "Entra ID",
    description: 'the provider\'s name on the login button ("Sign in with Entra ID")',
  }),
  roleClaim: defineSetting({
    key: "dashboard.oidc.roleClaim",
    type: "string",
    schema: z.string().min(1).max(200),
    default: "roles",
    description:
      "ID token claim holding the user's roles (Entra ID: `roles`, the app roles; `groups` to map security groups)",
  }),
  roles: defineSetting({
    key: "dashboard.oidc.roles",
    type: "list",
    schema: claimMap(roleName),
    default: {},
    flag: "--oidc-roles",
    description:
      "role-claim value → muniops role, a YAML mapping (`Muniops.ServiceManager: service-manager`) or " +
      "`value=role` pairs; a user whose claims map to no role is refused, and of several the widest wins " +
      "(admin, service-manager, auditor, department-controller, operator)",
  }),
  departmentClaim: defineSetting({
    key: "dashboard.oidc.departmentClaim",
    type: "string",
    schema: z.string().min(1).max(200),
    flag: "--oidc-department-claim",
    description: "ID token claim whose value(s) are a department-controller's department ids",
  }),
  groupClaim: defineSetting({
    key: "dashboard.oidc.groupClaim",
    type: "string",
    schema: z.string().min(1).max(200),
    default: "groups",
    description: "ID token claim holding the user's group ids (Entra ID: `groups`)",
  }),
  groupDepartments: defineSetting({
    key: "dashboard.oidc.groupDepartments",
    type: "list",
    schema: claimMap(departmentId),
    default: {},
    flag: "--oidc-group-departments",
    description:
      "group id → department id, a YAML mapping or `group=department` pairs: a department-controller's departments",
  }),
  publicUrl: defineSetting({
    key: "dashboard.publicUrl",
    type: "string",
    schema: oidcUrl("the public URL"),
    flag: "--public-url",
    description:
      "the URL users reach the dashboard at, e.g. https://muniops.leiden.nl behind a TLS proxy (default " +
      "http://localhost:<port> when listening on localhost)",
  }),
};

export type OidcSettings = SettingsOf<typeof oidcSettings>;

/** How claims become a muniops role and departments. */
export interface ClaimMapping {
  roleClaim: string;
  roles: Readonly<Record<string, Role>>;
  departmentClaim: string | undefined;
  groupClaim: string;
  groupDepartments: Readonly<Record<string, string>>;
}

export interface OidcConfig {
  issuer: URL;
  clientId: string;
  clientSecret: string | undefined;
  redirectUri: string;
  /** Where the provider sends the browser after RP-initiated logout. */
  postLogoutRedirectUri: string;
  scopes: readonly string[];
  displayName: string;
  mapping: ClaimMapping;
}

const callbackPath = "/login/oidc/callback";

/**
 * The checked OIDC configuration, or undefined when OIDC is off. `listen` is where the dashboard listens,
 * for the default public URL; settings declared without default arrive as undefined.
 */
export function oidcConfig(settings: OidcSettings, listen: { host: string; port: number }): OidcConfig | undefined {
  const s = settings as { [K in keyof OidcSettings]: OidcSettings[K] | undefined };
  if (s.issuer === undefined) {
    if (s.clientId !== undefined)
      throw new UsageError(
        "dashboard.oidc.clientId is set but dashboard.oidc.issuer is not: set both to turn OIDC login on, or neither",
      );
    return undefined;
  }
  if (s.clientId === undefined)
    throw new UsageError(
      "dashboard.oidc.issuer is set but dashboard.oidc.clientId is not: give the dashboard's client " +
        "(application) id at the issuer",
    );
  if (s.clientSecret !== undefined && s.clientSecretFile !== undefined)
    throw new UsageError(
      "give the client secret once: dashboard.oidc.clientSecret or dashboard.oidc.clientSecretFile, not both",
    );
  const clientSecret = s.clientSecretFile === undefined ? s.clientSecret : readSecretFile(s.clientSecretFile);
  const publicUrl = (s.publicUrl ?? defaultPublicUrl(listen, s.redirectUrl !== undefined)).replace(/\/+$/, "");
  return {
    issuer: new URL(s.issuer),
    clientId: s.clientId,
    clientSecret,
    redirectUri: s.redirectUrl ?? `${publicUrl}${callbackPath}`,
    postLogoutRedirectUri: `${publicUrl}/login`,
    scopes: s.scopes ?? ["openid"],
    displayName: s.displayName ?? "Entra ID",
    mapping: {
      roleClaim: s.roleClaim ?? "roles",
      roles: s.roles ?? {},
      departmentClaim: s.departmentClaim,
      groupClaim: s.groupClaim ?? "groups",
      groupDepartments: s.groupDepartments ?? {},
    },
  };
}

function defaultPublicUrl(listen: { host: string; port: number }, redirectGiven: boolean): string {
  const local = ["localhost", "127.0.0.1", "::1"].includes(listen.host);
  // The provider must know the callback URL in advance: a wildcard address or a random port cannot be it.
  if (!local || (listen.port === 0 && !redirectGiven))
    throw new UsageError(
      "OIDC login needs the dashboard's public URL for its callback: set dashboard.publicUrl (--public-url), " +
        "e.g. https://muniops.example.nl",
    );
  return `http://localhost:${listen.port}`;
}

function readSecretFile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new UsageError(
      `couldn't read dashboard.oidc.clientSecretFile ${path}: ${(error as NodeJS.ErrnoException).code ?? "unreadable"}`,
    );
  }
  const secret = text.split(/\r?\n/)[0]?.trim() ?? "";
  if (secret === "")
    throw new UsageError(`dashboard.oidc.clientSecretFile ${path} is empty: its first line must be the client secret`);
  return secret;
}
