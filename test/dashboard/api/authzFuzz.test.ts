// Issue 15: an authorization fuzz over every operation of the OpenAPI document, for every role and the
// anonymous: random (valid and invalid) path and query values and bodies, and for each the status class
// the role must get — 401 anonymous, 403 for a role the route is not for (or a controller naming another
// department), and for an allowed role never 401, 403 or 5xx. Whatever either department controller is
// given must hold only their own department's ids and money. The allowed roles are written out here, not
// read from the server's role table, and a route missing from this table fails the test.
import fc from "fast-check";
import { beforeAll, describe, expect, test } from "vitest";
import { accounts, anonymous, type Account, type Client } from "./testServer.js";
import { useTestDashboard } from "./testServer.js";
import { foreignFigures, leaksIn, ownDepartment } from "./departmentLeaks.js";

const roleNames = Object.keys(accounts) as Account[];
const t = useTestDashboard(roleNames);

const everyone = roleNames;
const money: Account[] = ["admin", "manager", "ctl-bz", "ctl-bel", "auditor"];
const managers: Account[] = ["admin", "manager"];
const organisationMoney: Account[] = ["admin", "manager", "auditor"];
const compliance: Account[] = ["admin", "manager", "operator", "auditor"];
const auditors: Account[] = ["admin", "auditor"];

/** Who may call each operation ("public": no login needed). */
const allowed: Record<string, Account[] | "public"> = {
  "get /me": everyone,
  "get /roles": everyone,
  "get /openapi.json": "public",
  "get /overview": money,
  "get /departments": everyone,
  "get /departments/{id}": money,
  "get /departments/{id}/statement": money,
  "get /chargeback": money,
  "get /periods": money,
  "post /periods/{period}/close": managers,
  "post /periods/{period}/statements/{department}": ["admin", "ctl-bz", "ctl-bel"],
  "get /adjustments": money,
  "post /adjustments": managers,
  "get /licences": money,
  "get /licences/contracts": organisationMoney,
  "post /licences/assignments": managers,
  "get /rates": money,
  "post /rates": managers,
  "get /cost-items": money,
  "post /cost-items": managers,
  "get /operations/hosts": everyone,
  "get /operations/filesystems": everyone,
  "get /operations/sla": everyone,
  "get /operations/rollouts": everyone,
  "get /patches": everyone,
  "get /compliance": compliance,
  "get /compliance/audits": compliance,
  "post /compliance/audits": auditors,
  "post /compliance/run": auditors,
  "get /compliance/coverage": compliance,
  "get /compliance/waivers": compliance,
  "get /audit-log": auditors,
};

const departmentOf: Partial<Record<Account, string>> = { "ctl-bz": "burgerzaken", "ctl-bel": "belastingen" };
const knownDepartments = ["burgerzaken", "belastingen", "ict"];

interface Parameter {
  name: string;
  in: string;
  schema?: { enum?: string[] };
}
interface Operation {
  key: string;
  path: string;
  method: "get" | "post";
  parameters: Parameter[];
}

/** A value for a parameter: mostly plausible, sometimes malformed. */
function valueOf(p: Parameter): fc.Arbitrary<string> {
  const junk = fc.string({ maxLength: 12 }).filter((s) => s.trim() !== "" && !/[/?#%]/.test(s));
  switch (p.name) {
    case "id":
    case "department":
      return fc.oneof(fc.constantFrom(...knownDepartments, "nosuch-dept"), fc.constantFrom("BZ!", "a"), junk);
    case "period":
      return fc.constantFrom("2026-10", "2026-11", "2026-09", "2026-13", "oct", "9999-12");
    case "format":
      return fc.constantFrom(...(p.schema?.enum ?? ["json"]), "xml");
    case "day":
      return fc.constantFrom("2026-10-20", "2026-11-15", "2026-02-30", "x");
    case "limit":
    case "before":
    case "minUsedPercent":
      return fc.oneof(fc.integer({ min: -5, max: 20_000 }).map(String), fc.constant("abc"));
    default:
      return junk;
  }
}

interface Call {
  path: string;
  /** The department the request names (path or query), if any. */
  department?: string;
  body: unknown;
}

function callOf(op: Operation): fc.Arbitrary<Call> {
  const params = op.parameters.filter((p) => p.in === "path" || p.in === "query");
  const values = params.map((p) =>
    p.in === "path" ? valueOf(p).map((v) => v as string | null) : fc.option(valueOf(p), { nil: null }),
  );
  const body = fc.oneof(
    fc.constant({}),
    fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string(), fc.integer(), fc.boolean()), { maxKeys: 3 }),
  );
  return fc.tuple(fc.tuple(...values), body).map(([chosen, b]) => {
    let path = op.path;
    const query = new URLSearchParams();
    let department: string | undefined;
    params.forEach((p, i) => {
      const v = chosen[i];
      if (v === null || v === undefined) return;
      if (p.name === "id" || p.name === "department") department = v;
      if (p.in === "path") path = path.replace(`{${p.name}}`, encodeURIComponent(v));
      else query.set(p.name, v);
    });
    const qs = query.toString();
    return {
      path: `/api/v1${path}${qs ? `?${qs}` : ""}`,
      ...(department === undefined ? {} : { department }),
      body: b,
    };
  });
}

let operations: Operation[] = [];
/** Per controller: the other departments' and the organisation's amounts (departmentLeaks.ts). */
const figures: Partial<Record<Account, string[]>> = {};

beforeAll(async () => {
  const doc = (await (await anonymous(t.dashboard.url).get("/api/v1/openapi.json")).json()) as {
    paths: Record<string, Record<string, { parameters?: Parameter[] }>>;
  };
  operations = Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({
      key: `${method} ${path}`,
      path,
      method: method as "get" | "post",
      parameters: op.parameters ?? [],
    })),
  );
  for (const [role, own] of Object.entries(departmentOf)) {
    figures[role as Account] = await foreignFigures(t.manager, ["2026-10", "2026-11"], own);
  }
}, 60_000);

/** The status class `role` must get for `call`, as a predicate with a name for the failure message. */
function expectation(
  op: Operation,
  role: Account | "anonymous",
  call: Call,
): { name: string; ok: (status: number) => boolean } {
  const who = allowed[op.key];
  if (who === "public") return { name: "200", ok: (s) => s === 200 };
  if (role === "anonymous") return { name: "401", ok: (s) => s === 401 };
  if (!who?.includes(role)) return { name: "403", ok: (s) => s === 403 };
  const own = departmentOf[role];
  const wellFormed = call.department !== undefined && /^[a-z][a-z0-9-]{1,30}$/.test(call.department);
  // a controller naming another department: refused, whatever else is wrong (or a 400 for a bad value first)
  if (own && wellFormed && call.department !== own) return { name: "403 (or 400)", ok: (s) => s === 403 || s === 400 };
  return {
    name: "allowed: 2xx, 400, 404, 409 or 413",
    ok: (s) => (s >= 200 && s < 300) || [400, 404, 409, 413].includes(s),
  };
}

describe("authz fuzz: every OpenAPI operation × every role", () => {
  test("the table of allowed roles covers every operation the document lists, and no more", () => {
    expect(operations.map((o) => o.key).sort()).toEqual(Object.keys(allowed).sort());
  });

  test.each([...roleNames, "anonymous" as const])(
    "%s",
    async (role) => {
      const client: Client = role === "anonymous" ? anonymous(t.dashboard.url) : t[role];
      for (const op of operations) {
        await fc.assert(
          fc.asyncProperty(callOf(op), async (call) => {
            const res =
              op.method === "get"
                ? await client.get(call.path, { headers: { accept: "application/json" } })
                : await client.post(call.path, call.body);
            const body = Buffer.from(await res.arrayBuffer()).toString("utf8");
            const want = expectation(op, role, call);
            expect(
              want.ok(res.status),
              `${role} ${op.method.toUpperCase()} ${call.path} → ${res.status}, expected ${want.name}: ` +
                body.slice(0, 200),
            ).toBe(true);
            const own = role === "anonymous" ? undefined : departmentOf[role];
            if (own && res.status < 300) {
              const leaks = leaksIn(body, res.headers.get("content-type") ?? "", figures[role as Account] ?? [], own);
              expect(leaks, `${role} ${op.method.toUpperCase()} ${call.path}`).toEqual([]);
            }
          }),
          { numRuns: op.method === "get" ? 12 : 6, seed: 15 },
        );
      }
    },
    180_000,
  );

  test("the leak check is real: it finds the other departments in what a manager sees", async () => {
    for (const [role, own] of Object.entries(departmentOf)) {
      for (const path of ["/api/v1/licences", "/api/v1/cost-items?format=csv", "/api/v1/chargeback?period=2026-10"]) {
        const res = await t.manager.get(path);
        const leaks = leaksIn(
          await res.text(),
          res.headers.get("content-type") ?? "",
          figures[role as Account] ?? [],
          own,
        );
        expect(leaks.length, `${own}: ${path}`).toBeGreaterThan(0);
      }
    }
  });

  test("methods a route does not declare are never answered with data", async () => {
    for (const op of operations) {
      const url = `${t.dashboard.url}/api/v1${op.path.replace(/\{[^}]+\}/g, ownDepartment)}`;
      for (const method of ["PUT", "PATCH", "DELETE"]) {
        const res = await fetch(url, { method, headers: { cookie: t.admin.cookie, "x-csrf-token": t.admin.csrf } });
        await res.arrayBuffer();
        expect([401, 403, 404, 405], `${method} ${op.path} → ${res.status}`).toContain(res.status);
      }
    }
  });
});
