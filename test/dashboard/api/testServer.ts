// A real dashboard, in-process on port 0, over a ledger seeded with the hand-computed October 2026
// (issue 6's fixture) and one account per role. "Now" is pinned to mid-November 2026, so October is a
// past, closable month and November the current one.
import { mkdtempSync, rmSync } from "node:fs";
import { afterAll, beforeAll } from "vitest";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openLedger } from "../../../dashboard/data-access/database.js";
import { addUser, prepareAuthTables } from "../../../dashboard/auth/userStore.js";
import { start, type RunningDashboard } from "../../../dashboard/server/server.js";
import type { TrustProxy } from "../../../dashboard/server/trustProxy.js";
import { seedHandMonth } from "../helpers/handMonth.js";
import { started } from "../../helpers/started.js";

export const fixedNow = Date.parse("2026-11-15T12:00:00Z");
export const password = "correct horse battery staple";

export const accounts = {
  admin: { role: "admin", departments: [] },
  manager: { role: "service-manager", departments: [] },
  "ctl-bz": { role: "department-controller", departments: ["burgerzaken"] },
  "ctl-bel": { role: "department-controller", departments: ["belastingen"] },
  operator: { role: "operator", departments: [] },
  auditor: { role: "auditor", departments: [] },
} as const;
export type Account = keyof typeof accounts;

export interface TestDashboard extends RunningDashboard {
  dir: string;
  close(): Promise<void>;
}

/** A seeded ledger file (seeding is the slow part: reuse one per test file, copy it for isolation). */
export async function seededLedgerFile(): Promise<{ dir: string; path: string }> {
  const dir = mkdtempSync(join(tmpdir(), "muniops-web-"));
  const path = join(dir, "ledger.db");
  const ledger = await openLedger(path, { create: true });
  try {
    await seedHandMonth(ledger);
    await prepareAuthTables(ledger);
    for (const [username, a] of Object.entries(accounts))
      await addUser(ledger, { username, password, role: a.role, departments: a.departments }, "test");
  } finally {
    await ledger.close();
  }
  return { dir, path };
}

export async function startTestDashboard(
  options: {
    path?: string;
    loginAttempts?: number;
    trustProxy?: TrustProxy;
    compliance?: { previewFile?: string; waiversFile?: string };
    inventoryFile?: string;
    now?: number;
  } = {},
): Promise<TestDashboard> {
  const seeded = options.path ? { dir: "", path: options.path } : await seededLedgerFile();
  const running = await start({
    databaseUrl: seeded.path,
    host: "127.0.0.1",
    port: 0,
    sessionTtlMs: 3_600_000,
    slaTarget: 99.8,
    trustProxy: options.trustProxy ?? false,
    loginAttempts: options.loginAttempts ?? 1000,
    now: () => options.now ?? fixedNow,
    ...(options.compliance ? { compliance: options.compliance } : {}),
    inventoryFile: options.inventoryFile,
  });
  return {
    ...running,
    dir: seeded.dir,
    async close() {
      await running.stop();
      if (seeded.dir) rmSync(seeded.dir, { recursive: true, force: true });
    },
  };
}

/**
 * One dashboard for a test file, started before its tests and stopped after, with a client signed in for
 * each of `who`: `const t = useTestDashboard(["manager", "auditor"])`, then `t.dashboard` and `t.manager`
 * inside the tests (the fields are filled in by the file's beforeAll).
 */
export function useTestDashboard<const A extends readonly Account[]>(
  who: A,
  options?: Parameters<typeof startTestDashboard>[0],
): { dashboard: TestDashboard } & Record<A[number], Client> {
  const state = {} as { dashboard: TestDashboard } & Record<A[number], Client>;
  beforeAll(async () => {
    state.dashboard = await startTestDashboard(options);
    const clients = await Promise.all(who.map((name) => login(state.dashboard.url, name)));
    who.forEach((name, i) => {
      Object.assign(state, { [name]: clients[i] });
    });
  }, 120_000);
  afterAll(async () => {
    await started(state.dashboard)?.close();
  });
  return state;
}

export interface Client {
  cookie: string;
  csrf: string;
  get(path: string, init?: RequestInit): Promise<Response>;
  post(path: string, body: unknown, init?: { csrf?: string | null; form?: boolean }): Promise<Response>;
}

function cookiesOf(res: Response): string[] {
  return res.headers.getSetCookie().map((c) => c.split(";")[0] ?? "");
}

export async function loginPage(base: string): Promise<{ cookie: string; token: string }> {
  const page = await fetch(`${base}/login`);
  const html = await page.text();
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";
  return { cookie: cookiesOf(page).join("; "), token };
}

export async function tryLogin(base: string, username: string, pass: string): Promise<Response> {
  const { cookie, token } = await loginPage(base);
  return fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ username, password: pass, _csrf: token }).toString(),
  });
}

export async function login(base: string, username: string, pass = password): Promise<Client> {
  const res = await tryLogin(base, username, pass);
  if (res.status !== 303) throw new Error(`login of ${username} failed: ${res.status}`);
  const cookie = cookiesOf(res)
    .filter((c) => c.startsWith("muniops_session="))
    .join("; ");
  const me = (await (await fetch(`${base}/api/v1/me`, { headers: { cookie } })).json()) as { csrfToken: string };
  return clientFor(base, cookie, me.csrfToken);
}

export function clientFor(base: string, cookie: string, csrf: string): Client {
  return {
    cookie,
    csrf,
    get: (path, init = {}) =>
      fetch(`${base}${path}`, {
        redirect: "manual",
        ...init,
        headers: { cookie, ...(init.headers as Record<string, string> | undefined) },
      }),
    post: (path, body, init = {}) => {
      const token = init.csrf === undefined ? csrf : init.csrf;
      const headers: Record<string, string> = { cookie };
      if (init.form) {
        headers["content-type"] = "application/x-www-form-urlencoded";
        const form = new URLSearchParams(body as Record<string, string>);
        if (token !== null) form.set("_csrf", token);
        return fetch(`${base}${path}`, { method: "POST", redirect: "manual", headers, body: form.toString() });
      }
      headers["content-type"] = "application/json";
      if (token !== null) headers["x-csrf-token"] = token;
      return fetch(`${base}${path}`, {
        method: "POST",
        redirect: "manual",
        headers,
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
    },
  };
}

export const anonymous = (base: string): Client => clientFor(base, "", "");
