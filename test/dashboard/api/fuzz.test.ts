// Fuzzing the API with random and hostile input (injection strings, wrong types, huge bodies, odd
// paths): the server never answers 500, every mutated request is refused, and the ledger is unchanged.
import fc from "fast-check";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { z } from "zod";
import { join } from "node:path";
import {
  adjustmentBody,
  assignmentBody,
  closeBody,
  costItemBody,
  rateVersionBody,
} from "../../../dashboard/app/requestSchemas.js";
import { auditReportSchema } from "../../../dashboard/domain/compliance.js";
import { audit } from "../../../policies/audit/evaluate.js";
import { readPreviewFile } from "../../../policies/audit/readPreview.js";
import { buildReport } from "../../../policies/audit/report.js";
import { renderJson } from "../../../policies/formats/json.js";
import { emptyWaivers } from "../../../policies/waivers.js";
import { repoRoot } from "../../helpers/cli.js";
import { login, startTestDashboard, type Client, type TestDashboard } from "./testServer.js";
import { started } from "../../helpers/started.js";

let dashboard: TestDashboard;
let manager: Client;
let controller: Client;
let auditor: Client;

beforeAll(async () => {
  dashboard = await startTestDashboard();
  manager = await login(dashboard.url, "manager");
  controller = await login(dashboard.url, "ctl-bz");
  auditor = await login(dashboard.url, "auditor");
}, 120_000);

afterAll(async () => {
  await started(dashboard)?.close();
});

const tables = [
  "audit_reports",
  "audit_log",
  "adjustments",
  "rate_versions",
  "rate_prices",
  "licence_assignments",
  "cost_items",
  "periods",
  "statement_status",
  "departments",
  "dashboard_users",
];

/** Row counts of every table a request could change, and the audit log's last id. */
async function fingerprint(): Promise<string> {
  const counts: string[] = [];
  for (const table of tables) {
    const row = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(dashboard.ledger.db);
    counts.push(`${table}=${String(row.rows[0]?.n)}`);
  }
  const last = await sql<{ id: number | null }>`select max(id) as id from audit_log`.execute(dashboard.ledger.db);
  return `${counts.join(",")};last=${String(last.rows[0]?.id)}`;
}

const hostileStrings = fc.constantFrom(
  "' OR '1'='1",
  "'; DROP TABLE departments; --",
  '" onmouseover="alert(1)',
  "<script>alert(1)</script>",
  "../../../../etc/passwd",
  "%00",
  "\u0000",
  "=cmd|' /C calc'!A0",
  "${7*7}",
  "{{constructor.constructor('return process')()}}",
  "__proto__",
  "2026-13",
  "9999-99",
  "-0.001",
  "1e309",
  "NaN",
  "😀".repeat(50),
  "a".repeat(5000),
);
const anyValue = fc.oneof(
  hostileStrings,
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string(), { maxKeys: 3 }),
);

// Valid bodies whose validated fields get one hostile replacement: each must be refused.
const templates: { path: string; body: Record<string, unknown>; validated: string[]; schema: z.ZodType }[] = [
  {
    path: "/api/v1/adjustments",
    body: { period: "2026-11", department: "burgerzaken", amount: "1.00", reason: "fuzz" },
    validated: ["period", "department", "amount"],
    schema: adjustmentBody,
  },
  {
    path: "/api/v1/rates",
    body: {
      validFrom: "2027-01-01",
      prices: {
        "compute.vcpuHour": "0.02",
        "compute.memoryGibHour": "0.005",
        "storage.serverGbMonth": "0.10",
        "storage.shareGbMonth": "0.05",
      },
    },
    validated: ["validFrom", "prices"],
    schema: rateVersionBody,
  },
  {
    path: "/api/v1/licences/assignments",
    body: { id: "fuzz-1", productId: "m365-e3", department: "burgerzaken", seats: 1, validFrom: "2026-11-20" },
    validated: ["id", "productId", "department", "seats", "validFrom"],
    schema: assignmentBody,
  },
  {
    path: "/api/v1/cost-items",
    body: {
      id: "fuzz-item",
      name: "fuzz",
      monthly: "10.00",
      driver: "fixed",
      percentages: { burgerzaken: "60", ict: "40" },
      validFrom: "2026-11-20",
    },
    validated: ["id", "name", "monthly", "driver", "percentages", "validFrom", "validTo"],
    schema: costItemBody,
  },
  { path: "/api/v1/periods/2026-10/close", body: { confirm: true }, validated: ["confirm"], schema: closeBody },
];

describe("API fuzz", () => {
  test("hostile values in validated fields: always 4xx, never 500, nothing changed", async () => {
    const before = await fingerprint();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...templates), fc.nat(), anyValue, async (template, pick, value) => {
        const field = template.validated[pick % template.validated.length] ?? "";
        const body = { ...template.body, [field]: value };
        // a random value that happens to be valid ("0" is an amount) would rightly be accepted: skip it
        fc.pre(!template.schema.safeParse(body).success);
        const res = await manager.post(template.path, body);
        const text = await res.text();
        expect(res.status, `${template.path} ${field}=${JSON.stringify(value)} → ${text}`).toBeGreaterThanOrEqual(400);
        expect(res.status, text).toBeLessThan(500);
      }),
      { numRuns: 150 },
    );
    expect(await fingerprint()).toBe(before);
  }, 120_000);

  test(
    "audit report uploads with one hostile field, and " + "random bodies: refused, never 500, nothing stored",
    async () => {
      const report = JSON.parse(
        renderJson(
          buildReport(
            audit(readPreviewFile(join(repoRoot, "test/fixtures/policies/compliant.preview.json")), {
              waivers: emptyWaivers,
            }),
            "fuzz",
          ),
        ),
      ) as Record<string, unknown>;
      const fields = [
        "schemaVersion",
        "stack",
        "generatedAt",
        "summary",
        "policies",
        "findings",
        "coverage",
        "waivers",
        "tool",
      ];
      const before = await fingerprint();
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...fields), anyValue, async (field, value) => {
          const body = { ...report, [field]: value };
          fc.pre(!auditReportSchema.safeParse(body).success);
          const res = await auditor.post("/api/v1/compliance/audits", body);
          const text = await res.text();
          expect(res.status, `${field}=${JSON.stringify(value)} → ${text.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
          expect(res.status, text).toBeLessThan(500);
        }),
        { numRuns: 80 },
      );
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom("/api/v1/compliance/audits", "/api/v1/compliance/run"),
          fc.oneof(fc.json(), fc.string()),
          async (path, body) => {
            const res = await auditor.post(path, body);
            expect(res.status).toBeLessThan(500);
            await res.arrayBuffer();
          },
        ),
        { numRuns: 60 },
      );
      expect(await fingerprint()).toBe(before);
    },
    120_000,
  );

  test("random bodies, wrong types and unknown keys: never 500, nothing changed", async () => {
    const before = await fingerprint();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...templates.map((t) => t.path), "/api/v1/periods/2026-10/statements/burgerzaken"),
        fc.oneof(
          fc.json(),
          fc.jsonValue().map((v) => JSON.stringify(v)),
          fc.string(),
        ),
        async (path, body) => {
          const res = await manager.post(path, body);
          expect(res.status).toBeLessThan(500);
          await res.arrayBuffer();
        },
      ),
      { numRuns: 120 },
    );
    expect(await fingerprint()).toBe(before);
  }, 120_000);

  test("hostile query strings and path segments on every GET route: never 500", async () => {
    const routes = [
      "/api/v1/compliance",
      "/api/v1/compliance/audits",
      "/api/v1/compliance/coverage",
      "/api/v1/compliance/waivers",
      "/api/v1/operations/filesystems",
      "/compliance",
      "/audit-log",
      "/periods",
      "/api/v1/licences/contracts",
      "/api/v1/overview",
      "/api/v1/departments",
      "/api/v1/chargeback",
      "/api/v1/periods",
      "/api/v1/adjustments",
      "/api/v1/licences",
      "/api/v1/rates",
      "/api/v1/cost-items",
      "/api/v1/operations/hosts",
      "/api/v1/operations/sla",
      "/api/v1/audit-log",
      "/api/v1/departments/burgerzaken/statement",
      "/departments/burgerzaken",
      "/operations",
    ];
    const params = fc.dictionary(
      fc.constantFrom(
        "period",
        "format",
        "department",
        "service",
        "environment",
        "day",
        "limit",
        "before",
        "entity",
        "id",
        "stack",
        "minUsedPercent",
        "__proto__",
        "constructor",
      ),
      fc.oneof(hostileStrings, fc.string(), fc.array(hostileStrings, { maxLength: 3 })),
      { maxKeys: 4 },
    );
    const before = await fingerprint();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        params,
        fc.constantFrom(manager, controller),
        async (route, query, client) => {
          const search = new URLSearchParams();
          for (const [k, v] of Object.entries(query))
            for (const item of Array.isArray(v) ? v : [v]) search.append(k, item);
          const res = await client.get(`${route}?${search.toString()}`, {
            headers: { accept: route.startsWith("/api/") ? "application/json" : "text/html" },
          });
          const text = await res.text();
          expect(res.status, `${route}?${search.toString()} → ${text.slice(0, 200)}`).toBeLessThan(500);
          // nothing injected comes back unescaped in a page
          if (!route.startsWith("/api/")) expect(text).not.toContain("<script>alert(1)</script>");
        },
      ),
      { numRuns: 200 },
    );
    await fc.assert(
      fc.asyncProperty(
        hostileStrings,
        fc.constantFrom("/api/v1/departments/", "/departments/", "/api/v1/periods/", "/periods/"),
        async (segment, prefix) => {
          const res = await manager.get(
            `${prefix}${encodeURIComponent(segment)}${prefix.includes("periods") ? "/close" : ""}`,
          );
          expect(res.status).toBeLessThan(500);
          await res.arrayBuffer();
        },
      ),
      { numRuns: 60 },
    );
    expect(await fingerprint()).toBe(before);
  }, 120_000);

  test("huge bodies are refused with 413 before any work", async () => {
    const before = await fingerprint();
    for (const size of [70_000, 1_000_000, 5_000_000]) {
      const res = await manager.post(
        "/api/v1/adjustments",
        JSON.stringify({ period: "2026-11", department: "burgerzaken", amount: "1.00", reason: "x".repeat(size) }),
      );
      expect(res.status).toBe(413);
      const form = await manager.post("/adjustments", { reason: "x".repeat(size) }, { form: true });
      expect(form.status).toBe(413);
    }
    expect(await fingerprint()).toBe(before);
  });
});
