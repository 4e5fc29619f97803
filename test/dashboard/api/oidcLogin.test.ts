// OIDC login against a real provider (oidc-provider, in-process): the whole browser round trip over
// HTTP — the dashboard's link, the provider's login form, the callback — with roles and departments
// mapped from the ID token's claims, and every way the callback must refuse (no role, tampered state,
// wrong nonce, wrong PKCE verifier, a replayed or foreign callback).
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { logger } from "../../../logger.js";
import { readAuditLog } from "../../../dashboard/data-access/auditLog.js";
import { setDisabled } from "../../../dashboard/auth/userStore.js";
import type { RunningDashboard } from "../../../dashboard/server/server.js";
import { TestBrowser } from "./oidcBrowser.js";
import { clientId, startOidcDashboard, type OidcDashboard } from "./oidcFixture.js";
import type { RunningProvider } from "./oidcProvider.js";
import { accounts as localAccounts, login as localLogin, type Account } from "./testServer.js";
import { started } from "../../helpers/started.js";

let fixture: OidcDashboard;
let provider: RunningProvider;
let dashboard: RunningDashboard;
let accounts: Record<string, Record<string, unknown>>;
let base: string;
let callback: string;

beforeAll(async () => {
  fixture = await startOidcDashboard();
  ({ provider, dashboard, accounts, base, callback } = fixture);
}, 120_000);

afterAll(async () => {
  await started(fixture)?.close();
});

/** Sign in at the provider as `account` and visit the callback: the dashboard's answer and the browser. */
async function signIn(account: string, returnTo = "/"): Promise<{ browser: TestBrowser; res: Response; body: string }> {
  const browser = new TestBrowser();
  const back = await browser.signInAtProvider(
    `${base}/login/oidc?return=${encodeURIComponent(returnTo)}`,
    account,
    callback,
  );
  const res = await browser.request(back);
  return { browser, res, body: await res.text() };
}

async function me(browser: TestBrowser): Promise<{
  status: number;
  body: { username?: string; displayName?: string; role?: string; departments?: string[]; csrfToken?: string };
}> {
  const res = await browser.request(`${base}/api/v1/me`, { headers: { accept: "application/json" } });
  return { status: res.status, body: (await res.json()) as Record<string, never> };
}

async function sessionCount(): Promise<number> {
  const row = await dashboard.ledger.db
    .withTables<{ dashboard_sessions: { id_hash: string } }>()
    .selectFrom("dashboard_sessions")
    .select((eb) => eb.fn.countAll<number | bigint>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe("the login page", () => {
  test("offers the provider beside the local form, in Dutch and in English", async () => {
    const nl = await (await fetch(`${base}/login?return=%2Fperiods`)).text();
    expect(nl).toContain("Inloggen met Entra ID");
    expect(nl).toContain('href="/login/oidc?return=%2Fperiods"');
    expect(nl).toContain('name="password"');
    const en = await (await fetch(`${base}/login`, { headers: { cookie: "muniops_lang=en" } })).text();
    expect(en).toContain("Sign in with Entra ID");
  });

  test("the link starts an authorization code flow with PKCE, state and nonce at the discovered issuer", async () => {
    const browser = new TestBrowser();
    const res = await browser.request(`${base}/login/oidc`);
    expect(res.status).toBe(303);
    const url = new URL(res.headers.get("location") ?? "");
    expect(url.origin).toBe(provider.issuer);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: clientId,
      response_type: "code",
      redirect_uri: callback,
      code_challenge_method: "S256",
      scope: "openid profile email",
    });
    for (const p of ["state", "nonce", "code_challenge"])
      expect(url.searchParams.get(p)?.length ?? 0).toBeGreaterThanOrEqual(22);
    const flowCookie = browser.lastSetCookies.find((c) => c.startsWith("muniops_oidc_flow="));
    expect(flowCookie).toMatch(/HttpOnly/i);
    expect(flowCookie).toMatch(/SameSite=Lax/i);
    expect(flowCookie).toMatch(/Path=\/login\/oidc/);
  });
});

describe("signing in", () => {
  test("a service manager gets a session like a local user's, and the login is audited with its subject", async () => {
    const { browser, res, body } = await signIn("manager-sub", "/periods");
    expect(res.status).toBe(200);
    // Onward by a refresh the page starts, so the SameSite=Strict session cookie goes along.
    expect(body).toContain('<meta http-equiv="refresh" content="0;url=/periods">');
    const sessionCookie = browser.lastSetCookies.find((c) => c.startsWith("muniops_session="));
    expect(sessionCookie).toMatch(/HttpOnly/i);
    expect(sessionCookie).toMatch(/SameSite=Strict/i);
    expect(sessionCookie).toMatch(/Max-Age=3600/);
    expect(browser.cookie(base, "muniops_oidc_flow")).toBeUndefined();
    const who = await me(browser);
    expect(who.status).toBe(200);
    expect(who.body).toMatchObject({
      username: "m.devries@leiden.example",
      displayName: "Marieke de Vries",
      role: "service-manager",
      departments: [],
    });
    const periods = await browser.request(`${base}/periods`, { headers: { accept: "text/html" } });
    expect(periods.status).toBe(200);

    const log = await readAuditLog(dashboard.ledger.db, { entityId: "m.devries@leiden.example" });
    expect(log.find((e) => e.action === "login")).toMatchObject({
      actor: "m.devries@leiden.example",
      entity: "session",
      after: { method: "oidc", issuer: provider.issuer, subject: "manager-sub" },
    });
    expect(log.find((e) => e.action === "create")).toMatchObject({
      entity: "user",
      after: { role: "service-manager", subject: "manager-sub" },
    });
  }, 60_000);

  test("local accounts keep working beside OIDC, audited as password logins", async () => {
    const client = await localLogin(base, "manager");
    expect((await client.get("/api/v1/me")).status).toBe(200);
    const [entry] = await readAuditLog(dashboard.ledger.db, { entityId: "manager", order: "desc", limit: 1 });
    expect(entry).toMatchObject({ action: "login", after: { method: "password" } });
  }, 60_000);

  test("of several roles the widest wins", async () => {
    const { browser, res } = await signIn("both-sub");
    expect(res.status).toBe(200);
    expect((await me(browser)).body.role).toBe("admin");
  }, 60_000);

  test("a department controller from OIDC gets its department from the group mapping, and only that one", async () => {
    const { browser, res } = await signIn("controller-sub");
    expect(res.status).toBe(200);
    const who = await me(browser);
    expect(who.body).toMatchObject({ role: "department-controller", departments: ["burgerzaken"] });
    const get = (path: string) => browser.request(`${base}${path}`, { headers: { accept: "application/json" } });
    expect((await get("/api/v1/departments/burgerzaken?period=2026-10")).status).toBe(200);
    expect((await get("/api/v1/departments/belastingen?period=2026-10")).status).toBe(403);
    expect((await get("/api/v1/departments/belastingen/statement?period=2026-10&format=csv")).status).toBe(403);
    expect((await get("/api/v1/audit-log")).status).toBe(403);
    const list = (await (await get("/api/v1/departments")).json()) as { departments: { id: string }[] };
    expect(list.departments.map((d) => d.id)).toEqual(["burgerzaken"]);
    const page = await browser.request(`${base}/departments/belastingen`, { headers: { accept: "text/html" } });
    expect(page.status).toBe(403);
  }, 60_000);

  test("a role taken away at the provider is taken away at the next login, and audited", async () => {
    const first = await signIn("changing-sub");
    expect((await me(first.browser)).body.role).toBe("operator");
    accounts["changing-sub"] = { ...accounts["changing-sub"], roles: ["Muniops.Auditor"] };
    const second = await signIn("changing-sub");
    expect((await me(second.browser)).body.role).toBe("auditor");
    const update = (await readAuditLog(dashboard.ledger.db, { entityId: "w.wissel@leiden.example" })).find(
      (e) => e.action === "update",
    );
    expect(update).toMatchObject({
      actor: expect.stringMatching(/^oidc:127\.0\.0\.1:\d+$/) as unknown,
      before: { role: "operator" },
      after: { role: "auditor" },
    });
  }, 60_000);
});

describe("refusals", () => {
  test("claims that map to no role get a clear 403 page and no session, and the refusal is logged", async () => {
    const before = await sessionCount();
    const warn = vi.spyOn(logger(), "warn");
    const { browser, res, body } = await signIn("nobody-sub");
    const logged = warn.mock.calls.find(([, message]) => message === "OIDC login refused");
    warn.mockRestore();
    expect(logged?.[0]).toMatchObject({ subject: "nobody-sub", reason: "no-role", address: "127.0.0.1" });
    expect(res.status).toBe(403);
    expect(body).toContain("Inloggen geweigerd");
    expect(body).toContain("heeft geen rol in muniops");
    expect(browser.cookie(base, "muniops_session")).toBeUndefined();
    expect(await sessionCount()).toBe(before);
    expect((await me(browser)).status).toBe(401);
  }, 60_000);

  test("a department controller whose groups map to no department is refused", async () => {
    const { res, body } = await signIn("nodept-sub");
    expect(res.status).toBe(403);
    expect(body).toContain("zonder bekende afdeling");
  }, 60_000);

  test("an OIDC name never takes over a local account", async () => {
    const { res, body } = await signIn("clash-sub");
    expect(res.status).toBe(403);
    expect(body).toContain("ctl-bz");
    const local = await localLogin(base, "ctl-bz");
    expect(((await (await local.get("/api/v1/me")).json()) as { role: string }).role).toBe("department-controller");
  }, 60_000);

  test("an account disabled in muniops stays out, whatever the provider says", async () => {
    const first = await signIn("both-sub");
    expect((await me(first.browser)).status).toBe(200);
    await setDisabled(dashboard.ledger, "p.pietersen@leiden.example", true, "test");
    expect((await me(first.browser)).status).toBe(401);
    const { res, body } = await signIn("both-sub");
    expect(res.status).toBe(403);
    expect(body).toContain("uitgeschakeld");
    await setDisabled(dashboard.ledger, "p.pietersen@leiden.example", false, "test");
  }, 60_000);

  test("a tampered state is refused, and the flow is spent: the genuine callback then fails too", async () => {
    const browser = new TestBrowser();
    const back = await browser.signInAtProvider(`${base}/login/oidc`, "manager-sub", callback);
    const forged = new URL(back);
    forged.searchParams.set("state", "an-attackers-state-value-xxxxxxxx");
    const res = await browser.request(forged);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Inloggen met Entra ID is mislukt");
    expect(browser.cookie(base, "muniops_session")).toBeUndefined();
    const replay = await browser.request(back);
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain("verlopen of al gebruikt");
    expect(browser.cookie(base, "muniops_session")).toBeUndefined();
  }, 60_000);

  test("a callback carried to another browser (login CSRF) signs no one in", async () => {
    const attacker = new TestBrowser();
    const back = await attacker.signInAtProvider(`${base}/login/oidc`, "manager-sub", callback);
    const victim = new TestBrowser();
    await victim.request(`${base}/login/oidc`); // the victim has a flow of its own, with another state
    const res = await victim.request(back);
    expect(res.status).toBe(400);
    expect(victim.cookie(base, "muniops_session")).toBeUndefined();
    const noFlow = await new TestBrowser().request(back);
    expect(noFlow.status).toBe(400);
  }, 60_000);

  /** Rewrite one field of the browser-held flow cookie, as a tampering client could. */
  function tamperFlow(browser: TestBrowser, change: Record<string, string>): void {
    const value = browser.cookie(base, "muniops_oidc_flow") ?? "";
    const flow = JSON.parse(Buffer.from(decodeURIComponent(value), "base64url").toString("utf8")) as Record<
      string,
      string
    >;
    browser.setCookie(
      base,
      "muniops_oidc_flow",
      Buffer.from(JSON.stringify({ ...flow, ...change })).toString("base64url"),
    );
  }

  test.each([
    ["an ID token with another nonce than the flow's", { nonce: "not-the-nonce-the-provider-signed" }],
    ["a code redeemed with another PKCE verifier (the provider refuses it)", { codeVerifier: "x".repeat(43) }],
  ])(
    "%s is refused",
    async (_name, change) => {
      const browser = new TestBrowser();
      const back = await browser.signInAtProvider(`${base}/login/oidc`, "manager-sub", callback);
      tamperFlow(browser, change);
      const res = await browser.request(back);
      expect(res.status).toBe(400);
      expect(browser.cookie(base, "muniops_session")).toBeUndefined();
    },
    60_000,
  );

  test("an error from the provider (the user cancelled) is a refusal, not a 500", async () => {
    const browser = new TestBrowser();
    const start = await browser.request(`${base}/login/oidc`);
    const state = new URL(start.headers.get("location") ?? "").searchParams.get("state") ?? "";
    const res = await browser.request(
      `${callback}?error=access_denied&error_description=cancelled&state=${state}&` +
        `iss=${encodeURIComponent(provider.issuer)}`,
    );
    expect(res.status).toBe(400);
  }, 60_000);
});

describe("the OIDC routes for every kind of visitor", () => {
  const visitors = [...Object.keys(localAccounts), "anonymous"] as (Account | "anonymous")[];
  test.each(visitors)(
    "%s: signed in → back to the return path; anonymous → the provider; the callback without a flow → 400",
    async (visitor) => {
      const cookie = visitor === "anonymous" ? "" : (await localLogin(base, visitor)).cookie;
      const started = await fetch(`${base}/login/oidc?return=%2Foperations`, {
        headers: { cookie },
        redirect: "manual",
      });
      expect(started.status).toBe(303);
      const location = new URL(started.headers.get("location") ?? "", base);
      if (visitor === "anonymous") expect(location.origin).toBe(provider.issuer);
      else expect(location.href).toBe(`${base}/operations`);
      const back = await fetch(`${callback}?code=x&state=y`, { headers: { cookie }, redirect: "manual" });
      expect(back.status).toBe(400);
    },
    60_000,
  );

  test("the return path stays on the dashboard", async () => {
    const start = await new TestBrowser().request(`${base}/login/oidc?return=%2F%2Fevil.example`);
    const flow = JSON.parse(
      Buffer.from(
        decodeURIComponent(/muniops_oidc_flow=([^;]+)/.exec(start.headers.get("set-cookie") ?? "")?.[1] ?? ""),
        "base64url",
      ).toString("utf8"),
    ) as { returnTo: string };
    expect(flow.returnTo).toBe("/");
  });
});

describe("logging out", () => {
  test("ends the local session and continues to the provider's end-session endpoint", async () => {
    const { browser } = await signIn("manager-sub");
    const { body } = await me(browser);
    const res = await browser.request(`${base}/logout`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ _csrf: body.csrfToken ?? "" }).toString(),
    });
    expect(res.status).toBe(200);
    const page = await res.text();
    const target = /http-equiv="refresh" content="0;url=([^"]+)"/.exec(page)?.[1]?.replace(/&amp;/g, "&") ?? "";
    const url = new URL(target);
    expect(url.origin).toBe(provider.issuer);
    expect(url.searchParams.get("client_id")).toBe(clientId);
    expect(url.searchParams.get("post_logout_redirect_uri")).toBe(`${base}/login`);
    expect((await me(browser)).status).toBe(401);
    expect((await browser.request(url)).status).toBe(200); // the provider's "sign out?" page
  }, 60_000);

  test("a local user's logout stays a plain redirect to the login page", async () => {
    const local = await localLogin(base, "operator");
    const res = await local.post("/logout", {}, { form: true });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/login");
  }, 60_000);
});
