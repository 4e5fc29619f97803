// The authorization matrix (each role × each route → allowed, 401 or 403), department isolation of
// controllers through every route and parameter, CSRF, and invalid input → 400 with field errors.
// Expectations are written out per route, not derived from the server's own role table.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { foreignFigures, leaksIn, ownDepartment } from "./departmentLeaks.js";
import { started } from "../../helpers/started.js";
import {
  accounts,
  anonymous,
  login,
  startTestDashboard,
  type Account,
  type Client,
  type TestDashboard,
} from "./testServer.js";

let dashboard: TestDashboard;
const clients = {} as Record<Account, Client>;
const roleNames = Object.keys(accounts) as Account[];

beforeAll(async () => {
  dashboard = await startTestDashboard();
  for (const name of roleNames) clients[name] = await login(dashboard.url, name);
}, 120_000);

afterAll(async () => {
  await started(dashboard)?.close();
});

type Expect = Partial<Record<Account, number>> & { default: number };
const money: Expect = { default: 200, operator: 403 };
const everyone: Expect = { default: 200 };
const auditOnly: Expect = { default: 403, admin: 200, auditor: 200 };
const ownBz: Expect = { default: 200, operator: 403, "ctl-bel": 403 };
const complianceRead: Expect = { default: 200, "ctl-bz": 403, "ctl-bel": 403 };

const getRoutes: [string, Expect][] = [
  ["/api/v1/me", everyone],
  ["/api/v1/roles", everyone],
  ["/api/v1/departments", everyone],
  ["/api/v1/departments?format=csv", everyone],
  ["/api/v1/departments/burgerzaken?period=2026-10", ownBz],
  ["/api/v1/departments/burgerzaken/statement?period=2026-10", ownBz],
  ["/api/v1/departments/burgerzaken/statement?period=2026-10&format=csv", ownBz],
  ["/api/v1/departments/burgerzaken/statement?period=2026-10&format=pdf", ownBz],
  ["/api/v1/overview", money],
  ["/api/v1/chargeback?period=2026-10", money],
  ["/api/v1/chargeback?period=2026-10&format=csv", money],
  ["/api/v1/periods", money],
  ["/api/v1/adjustments?period=2026-11", money],
  ["/api/v1/licences", money],
  ["/api/v1/licences/contracts", { default: 200, operator: 403, "ctl-bz": 403, "ctl-bel": 403 }],
  ["/api/v1/licences/contracts?format=csv", { default: 200, operator: 403, "ctl-bz": 403, "ctl-bel": 403 }],
  ["/api/v1/rates", money],
  ["/api/v1/cost-items", money],
  ["/api/v1/operations/hosts", everyone],
  ["/api/v1/operations/sla?period=2026-10", everyone],
  ["/api/v1/operations/sla?period=2026-10&format=csv", everyone],
  ["/api/v1/operations/sla?period=2026-10&format=pdf", everyone],
  ["/api/v1/operations/rollouts", everyone],
  ["/api/v1/operations/rollouts?format=csv", everyone],
  ["/api/v1/operations/filesystems", everyone],
  ["/api/v1/patches", everyone],
  ["/api/v1/patches?format=csv", everyone],
  ["/api/v1/operations/filesystems?format=csv", everyone],
  ["/api/v1/compliance", complianceRead],
  ["/api/v1/compliance/audits", complianceRead],
  ["/api/v1/compliance/audits?format=csv", complianceRead],
  ["/api/v1/compliance/coverage?format=csv", complianceRead],
  ["/api/v1/compliance/waivers", complianceRead],
  ["/api/v1/compliance/waivers?format=csv", complianceRead],
  ["/api/v1/audit-log", auditOnly],
  ["/", { default: 200, operator: 303 }],
  ["/departments/burgerzaken?period=2026-10", ownBz],
  ["/periods", money],
  ["/periods/2026-10/close", { default: 403, admin: 200, manager: 200 }],
  ["/licences", money],
  ["/rates", money],
  ["/operations", everyone],
  ["/compliance", complianceRead],
  ["/audit-log", auditOnly],
  ["/audit-log?entity=adjustment&before=1000", auditOnly],
];

// An empty body: an allowed role gets 400 (validation), a refused one 403 — and nothing changes.
const managers: Expect = { default: 403, admin: 400, manager: 400 };
const postRoutes: [string, Expect][] = [
  ["/api/v1/periods/2026-10/close", managers],
  ["/api/v1/adjustments", managers],
  ["/api/v1/rates", managers],
  ["/api/v1/licences/assignments", managers],
  ["/api/v1/cost-items", managers],
  ["/api/v1/periods/2026-10/statements/burgerzaken", { default: 403, admin: 400, "ctl-bz": 400 }],
  ["/api/v1/compliance/audits", { default: 403, admin: 400, auditor: 400 }],
  // a valid (empty) body, but this dashboard has no --audit-preview: 400 naming the flag
  ["/api/v1/compliance/run", { default: 403, admin: 400, auditor: 400 }],
];

describe("authorization matrix", () => {
  test.each(getRoutes)("GET %s", async (path, expected) => {
    const seen: Record<string, number> = {};
    const want: Record<string, number> = {};
    for (const name of roleNames) {
      const res = await clients[name].get(path, {
        headers: { accept: path.startsWith("/api/") ? "application/json" : "text/html" },
      });
      await res.arrayBuffer();
      seen[name] = res.status;
      want[name] = expected[name] ?? expected.default;
    }
    expect(seen).toEqual(want);
    const anon = await anonymous(dashboard.url).get(path, {
      headers: { accept: path.startsWith("/api/") ? "application/json" : "text/html" },
    });
    expect(anon.status).toBe(path.startsWith("/api/") ? 401 : 303);
    if (!path.startsWith("/api/")) expect(anon.headers.get("location")).toMatch(/^\/login\?return=/);
  });

  test.each(postRoutes)("POST %s", async (path, expected) => {
    const before = await (await clients.admin.get("/api/v1/audit-log?limit=1")).json();
    const seen: Record<string, number> = {};
    const want: Record<string, number> = {};
    for (const name of roleNames) {
      const res = await clients[name].post(path, {});
      await res.arrayBuffer();
      seen[name] = res.status;
      want[name] = expected[name] ?? expected.default;
    }
    expect(seen).toEqual(want);
    expect((await anonymous(dashboard.url).post(path, {}, { csrf: null })).status).toBe(401);
    expect(await (await clients.admin.get("/api/v1/audit-log?limit=1")).json()).toEqual(before);
  });

  // The pages' form posts: the same roles through the same commands; the anonymous go to the login page.
  const formRoutes: [string, Expect][] = [
    ["/cost-items", managers],
    ["/rates", managers],
    ["/adjustments", managers],
    ["/licences/assignments", managers],
    ["/periods/2026-10/close", managers],
    ["/departments/burgerzaken/statement", { default: 403, admin: 400, "ctl-bz": 400 }],
    ["/compliance/audits", { default: 403, admin: 400, auditor: 400 }],
    ["/compliance/run", { default: 403, admin: 400, auditor: 400 }],
  ];
  test.each(formRoutes)("form POST %s", async (path, expected) => {
    const before = await (await clients.admin.get("/api/v1/audit-log?limit=1")).json();
    const seen: Record<string, number> = {};
    const want: Record<string, number> = {};
    for (const name of roleNames) {
      const res = await clients[name].post(path, {}, { form: true });
      await res.arrayBuffer();
      seen[name] = res.status;
      want[name] = expected[name] ?? expected.default;
    }
    expect(seen).toEqual(want);
    const anon = await anonymous(dashboard.url).post(path, {}, { form: true, csrf: null });
    expect(anon.status).toBe(303);
    expect(anon.headers.get("location")).toMatch(/^\/login\?return=/);
    expect(await (await clients.admin.get("/api/v1/audit-log?limit=1")).json()).toEqual(before);
  });

  test("the OpenAPI document is served without login and lists every API route of the matrix", async () => {
    const res = await anonymous(dashboard.url).get("/api/v1/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe("3.1.0");
    const documented = Object.keys(doc.paths).map(
      (p) => new RegExp(`^/api/v1${p.replace(/\{[^}]+\}/g, "[^/?]+")}(\\?|$)`),
    );
    for (const [path] of [...getRoutes, ...postRoutes].filter(([p]) => p.startsWith("/api/v1/")))
      expect(
        documented.some((re) => re.test(path)),
        path,
      ).toBe(true);
  });
  test("every operation the OpenAPI document lists is in the matrix", async () => {
    const doc = (await (await anonymous(dashboard.url).get("/api/v1/openapi.json")).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const matrix = [...getRoutes.map(([p]) => `get ${p}`), ...postRoutes.map(([p]) => `post ${p}`)];
    for (const [path, operations] of Object.entries(doc.paths)) {
      if (path === "/openapi.json") continue; // public: tested above
      const route = new RegExp(`^/api/v1${path.replace(/\{[^}]+\}/g, "[^/?]+")}(\\?|$)`);
      for (const method of Object.keys(operations)) {
        expect(
          matrix.some((m) => m.startsWith(`${method} `) && route.test(m.slice(method.length + 1))),
          `${method.toUpperCase()} ${path}`,
        ).toBe(true);
      }
    }
  });
});

describe("a controller of burgerzaken never sees belastingen", () => {
  const refused = [
    "/api/v1/departments/belastingen",
    "/api/v1/departments/belastingen?period=2026-10",
    "/api/v1/departments/belastingen/statement?period=2026-10",
    "/api/v1/departments/belastingen/statement?period=2026-10&format=csv",
    "/api/v1/departments/belastingen/statement?period=2026-10&format=pdf",
    "/api/v1/operations/hosts?department=belastingen",
    "/api/v1/operations/hosts?department=belastingen&format=csv",
    "/api/v1/operations/filesystems?department=belastingen",
    "/api/v1/patches?department=belastingen",
    "/departments/belastingen",
    "/departments/belastingen?period=2026-10",
    "/operations?department=belastingen",
  ];
  test.each(refused)("%s → 403", async (path) => {
    const res = await clients["ctl-bz"].get(path, {
      headers: { accept: path.startsWith("/api/") ? "application/json" : "text/html" },
    });
    expect(res.status).toBe(403);
    expect(await res.text()).not.toMatch(/KP-4200|bel-app-01|972[.,]84/);
  });

  const lists = [
    "/api/v1/departments",
    "/api/v1/departments?format=csv",
    "/api/v1/overview",
    "/api/v1/chargeback?period=2026-10",
    "/api/v1/chargeback?period=2026-10&format=csv",
    "/api/v1/licences",
    "/api/v1/licences?format=csv",
    "/api/v1/adjustments?period=2026-10",
    "/api/v1/operations/hosts",
    "/api/v1/operations/hosts?format=csv",
    "/api/v1/operations/sla?period=2026-10",
    "/api/v1/operations/sla?period=2026-10&format=csv",
    "/api/v1/operations/filesystems?minUsedPercent=0",
    "/api/v1/operations/rollouts",
    "/api/v1/operations/rollouts?format=csv",
    "/api/v1/periods",
    "/",
    "/periods",
    "/licences",
    "/operations",
    "/departments/burgerzaken?period=2026-10",
  ];
  test.each(lists)("%s shows only burgerzaken", async (path) => {
    const res = await clients["ctl-bz"].get(path, {
      headers: { accept: path.startsWith("/api/") ? "application/json" : "text/html" },
    });
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).not.toMatch(/belastingen|Belastingen|KP-4200|bel-app-01|orphan-01|Centrale ICT/);
    // the manager's view of the same route does show the other departments (the filter is real)
    if (/chargeback|departments$|departments\?/.test(path))
      expect(await (await clients.manager.get(path)).text()).toMatch(/belastingen/);
  });

  test("the controller's chargeback omits the organisation-wide remainders and totals only their own", async () => {
    const own = (await (await clients["ctl-bz"].get("/api/v1/chargeback?period=2026-10")).json()) as {
      scope: string;
      total: string;
      departments: { id: string; total: string }[];
      unallocated?: string;
    };
    const all = (await (await clients.manager.get("/api/v1/chargeback?period=2026-10")).json()) as {
      scope: string;
      departments: { id: string; total: string }[];
      unallocated: string;
    };
    expect(own.scope).toBe("departments");
    expect(own.departments.map((d) => d.id)).toEqual(["burgerzaken"]);
    expect(own.total).toBe(all.departments.find((d) => d.id === "burgerzaken")?.total);
    expect(own.unallocated).toBeUndefined();
    expect(all.scope).toBe("all");
    expect(all.unallocated).toMatch(/^\d+\.\d{2}$/);
  });

  test("signing off another department's statement is refused", async () => {
    const res = await clients["ctl-bz"].post("/api/v1/periods/2026-10/statements/belastingen", {
      status: "signed-off",
    });
    expect(res.status).toBe(403);
    const form = await clients["ctl-bz"].post(
      "/departments/belastingen/statement",
      { period: "2026-10", status: "signed-off" },
      { form: true },
    );
    expect(form.status).toBe(403);
  });
});

describe("CSRF", () => {
  const body = { period: "2026-11", department: "burgerzaken", amount: "-10.00", reason: "csrf probe" };
  const adjustments = async () =>
    ((await (await clients.manager.get("/api/v1/adjustments?period=2026-11")).json()) as { adjustments: unknown[] })
      .adjustments.length;

  test(
    "a state-changing request without, with a wrong, or with another session's token is refused and changes " +
      "nothing",
    async () => {
      const count = await adjustments();
      for (const csrf of [null, "", "wrong-token", clients.admin.csrf]) {
        const res = await clients.manager.post("/api/v1/adjustments", body, { csrf });
        expect(res.status).toBe(403);
        expect(((await res.json()) as { error: string }).error).toBe("csrf");
        const form = await clients.manager.post("/adjustments", body, { form: true, csrf });
        expect(form.status).toBe(403);
      }
      expect(await adjustments()).toBe(count);
    },
  );

  test("the same request with the session's token goes through", async () => {
    const count = await adjustments();
    const res = await clients.manager.post("/api/v1/adjustments", body);
    expect(res.status).toBe(201);
    expect(await adjustments()).toBe(count + 1);
  });

  test("logout is a POST with the token; login needs its own double-submit token", async () => {
    expect((await clients.auditor.post("/logout", {}, { form: true, csrf: null })).status).toBe(403);
    const res = await fetch(`${dashboard.url}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "username=admin&password=x",
    });
    expect(res.status).toBe(403);
  });
});

describe("invalid input → 400 with field errors", () => {
  test("adjustment body", async () => {
    const res = await clients.manager.post("/api/v1/adjustments", {
      period: "2026-13",
      department: "BZ!",
      amount: "ten",
      reason: "",
      extra: 1,
    });
    expect(res.status).toBe(400);
    const error = (await res.json()) as { error: string; fields: Record<string, string[]> };
    expect(error.error).toBe("invalid-input");
    expect(Object.keys(error.fields).sort()).toEqual([
      "body",
      "body.amount",
      "body.department",
      "body.period",
      "body.reason",
    ]);
  });

  test.each([
    ["/api/v1/chargeback", "query.period"],
    ["/api/v1/chargeback?period=2026-1", "query.period"],
    ["/api/v1/chargeback?period=2026-10&format=xml", "query.format"],
    ["/api/v1/departments/Not_An_Id", "path.id"],
    ["/api/v1/departments/burgerzaken/statement?period=oct", "query.period"],
    ["/api/v1/audit-log?limit=-5", "query.limit"],
    ["/api/v1/licences?day=2026-02-30", "query.day"],
  ])("GET %s names %s", async (path, field) => {
    const res = await clients.admin.get(path);
    expect(res.status).toBe(400);
    expect(Object.keys(((await res.json()) as { fields: Record<string, string[]> }).fields)).toContain(field);
  });

  test("malformed JSON and oversized bodies are 4xx, not 500", async () => {
    expect((await clients.manager.post("/api/v1/adjustments", "{not json")).status).toBe(400);
    expect(
      (await clients.manager.post("/api/v1/adjustments", JSON.stringify({ reason: "x".repeat(200_000) }))).status,
    ).toBe(413);
  });

  test("closing without the confirmation is refused with the reason", async () => {
    const res = await clients.manager.post("/api/v1/periods/2026-10/close", { confirm: false });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { fields: Record<string, string[]> }).fields["body.confirm"]?.[0]).toMatch(
      /cannot be undone/,
    );
  });
});

describe("hardening", () => {
  test("security headers: a CSP without inline script, no framing, no sniffing", async () => {
    const res = await clients.manager.get("/");
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/script-src 'self'/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.text()).not.toMatch(/<script(?![^>]*\bsrc=)(?![^>]*type="application\/json")[^>]*>/);
  });

  test("the session cookie is HttpOnly and SameSite=Strict; unknown users and wrong passwords look alike", async () => {
    const { tryLogin } = await import("./testServer.js");
    const ok = await tryLogin(dashboard.url, "auditor", "correct horse battery staple");
    const cookie = ok.headers.getSetCookie().find((c) => c.startsWith("muniops_session=")) ?? "";
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const wrong = await tryLogin(dashboard.url, "auditor", "wrong password!!");
    const unknown = await tryLogin(dashboard.url, "nobody", "wrong password!!");
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect((await wrong.text()).replace(/value="[^"]+"/g, "")).toBe(
      (await unknown.text()).replace(/value="[^"]+"/g, ""),
    );
  });

  test("a redirect after login never leaves the site", async () => {
    const { loginPage } = await import("./testServer.js");
    for (const target of ["//evil.example/", "https://evil.example/", "/\\evil.example"]) {
      const { cookie, token } = await loginPage(dashboard.url);
      const res = await fetch(`${dashboard.url}/login`, {
        method: "POST",
        redirect: "manual",
        headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          username: "auditor",
          password: "correct horse battery staple",
          _csrf: token,
          return: target,
        }).toString(),
      });
      expect(res.headers.get("location")).toBe("/");
    }
  });
});

// Issue 15, item 3: not only the routes, every field. Other departments' money is every amount the
// manager's view gives another owner (departments, unallocated, unrecovered, their lines), every
// organisation-wide total (pools, licence purchases, shared-cost items) — none may reach a controller
// in any notation, nor may another department's id, name, cost centre or host.
describe("every field a controller sees is their own department's", () => {
  const own = ownDepartment;
  let figures: string[] = [];

  beforeAll(async () => {
    figures = await foreignFigures(clients.manager, ["2026-10", "2026-11"]);
    expect(figures).toEqual(expect.arrayContaining(["972.84", "3286.88", "2000.00", "1000.01"]));
  }, 60_000);

  const ownRoutes = getRoutes.filter(([, e]) => (e["ctl-bz"] ?? e.default) === 200).map(([path]) => path);
  const withDutchCsv = ownRoutes
    .filter((p) => p.includes("format=csv"))
    .map((p) => p.replace("format=csv", "format=csv-nl"));
  test.each([...ownRoutes, ...withDutchCsv, "/api/v1/cost-items?format=csv", "/api/v1/rates?format=csv"])(
    "%s",
    async (path) => {
      const res = await clients["ctl-bz"].get(path, {
        headers: { accept: path.startsWith("/api/") ? "application/json" : "text/html" },
      });
      expect(res.status).toBe(200);
      expect(leaksIn(await res.text(), res.headers.get("content-type") ?? "", figures)).toEqual([]);
    },
  );

  test("licences: their own seats and what they are charged, never the organisation's purchase", async () => {
    const view = (await (await clients["ctl-bz"].get("/api/v1/licences?day=2026-10-20")).json()) as {
      scope: string;
      products: Record<string, unknown>[];
    };
    expect(view.scope).toBe("departments");
    const october = (await (await clients.manager.get("/api/v1/chargeback?period=2026-10")).json()) as {
      lines: { owner: string; item: string; amount: string }[];
    };
    const charged = october.lines.filter((l) => l.owner === own && l.item === "licence:m365-e3").map((l) => l.amount);
    expect(view.products).toEqual([
      {
        productId: "m365-e3",
        productName: "Microsoft 365 E3",
        licenceType: "per-user",
        seats: 50,
        perDepartment: [{ department: own, seats: 50 }],
        monthlyCost: charged[0],
        period: "2026-10",
      },
    ]);
    for (const p of view.products)
      for (const key of ["purchased", "assigned", "free", "overAssigned"]) expect(p).not.toHaveProperty(key);
  });

  test("cost items: their own split and charge, never the total or another department's percentage", async () => {
    const created = await clients.manager.post("/api/v1/cost-items", {
      id: "split-firewall",
      name: "Firewall split",
      monthly: "800.00",
      driver: "fixed",
      percentages: { burgerzaken: "25", belastingen: "75" },
      validFrom: "2026-11-01",
    });
    expect(created.status).toBe(201);
    const view = (await (await clients["ctl-bz"].get("/api/v1/cost-items")).json()) as {
      scope: string;
      costItems: Record<string, unknown>[];
    };
    expect(view.scope).toBe("departments");
    const split = view.costItems.find((i) => i.id === "split-firewall");
    expect(split).toMatchObject({
      driver: "fixed",
      percentages: { burgerzaken: 2500 },
      period: "2026-11",
      charged: "200.00",
    });
    for (const item of view.costItems) expect(item).not.toHaveProperty("monthly");
    const page = await (await clients["ctl-bz"].get("/rates", { headers: { accept: "text/html" } })).text();
    expect(page).toContain("Firewall split");
    expect(page).not.toMatch(/800,00|75\s?%|belastingen/);
    const managerView = (await (await clients.manager.get("/api/v1/cost-items")).json()) as {
      costItems: { id: string; monthly: string }[];
    };
    expect(managerView.costItems.find((i) => i.id === "split-firewall")?.monthly).toBe("800.00");
  });
});
