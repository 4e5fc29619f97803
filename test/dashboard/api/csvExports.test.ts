// Issue 15, item 4, through the real server: every CSV the OpenAPI document offers, in both dialects,
// with hostile text in the ledger (an adjustment's reason, a cost item's name, a department's name, a
// host's service, a rate card's note). No field may reach a spreadsheet as a formula, no row may lose
// its columns, and amounts stay bare numbers.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { openLedger } from "../../../dashboard/data-access/database.js";
import { parseCsv } from "../../../dashboard/domain/csv.js";
import { importMasterData } from "../../../dashboard/app/ledgerImport.js";
import { login, seededLedgerFile, startTestDashboard, type Client, type TestDashboard } from "./testServer.js";
import { started } from "../../helpers/started.js";

const formula = {
  reason: '=HYPERLINK("http://evil.example";"klik")',
  costItem: "+cmd|' /C calc'!A0",
  department: "-1+cmd|' /C calc'!A0; Sport",
  service: "@SUM(1+1)*cmd|' /C calc'!A0",
  note: "-2+3,14;=1",
};

let dashboard: TestDashboard;
let admin: Client;

beforeAll(async () => {
  const seeded = await seededLedgerFile();
  const ledger = await openLedger(seeded.path);
  const yaml = [
    "departments:",
    `  - { id: sport, name: ${JSON.stringify(formula.department)}, costCenter: KP-4500, headcount: 5 }`,
    "hosts:",
    `  - { name: sp-app-01, department: sport, service: ${JSON.stringify(formula.service)}, vcpus: 1, memoryGiB: 2,` +
      " existedFrom: 2026-01-01T00 }",
  ].join("\n");
  await importMasterData(ledger, yaml, { format: "yaml", source: "hostile.yaml", actor: "test" });
  await ledger.close();
  dashboard = await startTestDashboard({ path: seeded.path });
  admin = await login(dashboard.url, "admin");
  const prices = {
    "compute.vcpuHour": "0.02",
    "compute.memoryGibHour": "0.005",
    "storage.serverGbMonth": "0.12",
    "storage.shareGbMonth": "0.05",
  };
  const writes = [
    await admin.post("/api/v1/adjustments", {
      period: "2026-11",
      department: "burgerzaken",
      amount: "-12.50",
      reason: formula.reason,
    }),
    await admin.post("/api/v1/cost-items", {
      id: "evil",
      name: formula.costItem,
      monthly: "10.00",
      driver: "even",
      validFrom: "2026-11-01",
    }),
    await admin.post("/api/v1/rates", { validFrom: "2027-01-01", note: formula.note, prices }),
  ];
  for (const res of writes) expect(res.status, await res.text()).toBe(201);
}, 120_000);

afterAll(async () => {
  await started(dashboard)?.close();
});

/** Every GET route whose 200 answer includes text/csv, as a URL the admin can fetch. */
async function csvRoutes(): Promise<string[]> {
  const doc = (await (await fetch(`${dashboard.url}/api/v1/openapi.json`)).json()) as {
    paths: Record<string, { get?: { responses: Record<string, { content?: Record<string, unknown> }> } }>;
  };
  const query: Record<string, string> = {
    "/chargeback": "period=2026-11",
    "/departments/{id}/statement": "period=2026-11",
    "/operations/sla": "period=2026-11",
  };
  return Object.entries(doc.paths)
    .filter(([, item]) => item.get?.responses["200"]?.content?.["text/csv"] !== undefined)
    .map(([path]) => `/api/v1${path.replace("{id}", "burgerzaken")}?${query[path] ? `${query[path]}&` : ""}`);
}

const numberCell = /^-?\d+([.,]\d+)?$/;

describe("every CSV export", () => {
  test("the routes: all the lists, the statement and the SLA report", async () => {
    const routes = await csvRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(15);
    for (const name of [
      "/adjustments",
      "/cost-items",
      "/departments/burgerzaken/statement",
      "/chargeback",
      "/audit-log",
      "/operations/sla",
    ]) {
      expect(
        routes.some((r) => r.startsWith(`/api/v1${name}?`)),
        name,
      ).toBe(true);
    }
  });

  test.each([
    ["csv", ","],
    ["csv-nl", ";"],
  ] as const)(
    "format=%s: no field is a formula, every row keeps its columns, amounts are numbers",
    async (format, separator) => {
      const seen = new Set<string>();
      for (const route of await csvRoutes()) {
        const res = await admin.get(`${route}format=${format}`);
        expect(res.status, route).toBe(200);
        expect(res.headers.get("content-type"), route).toMatch(/^text\/csv/);
        const text = await res.text();
        const [header, ...rows] = parseCsv(text.replace(/^\uFEFF/, ""), separator);
        expect(header, route).toBeDefined();
        for (const row of rows) {
          expect(row.fields, `${route} line ${row.line}`).toHaveLength(header?.fields.length ?? 0);
          for (const field of row.fields) {
            // only a bare number may start with "-": every text starting so carries a "'" first
            if (/^[=+\-@\t\r]/.test(field)) expect(field, `${route} line ${row.line}`).toMatch(numberCell);
            seen.add(field);
          }
        }
      }
      // the hostile texts did reach the exports, neutralised
      for (const value of Object.values(formula)) expect(seen.has(`'${value}`), value).toBe(true);
    },
  );

  test("the adjustment's amount is a bare negative number; its reason quoted text", async () => {
    const csv = await (await admin.get("/api/v1/adjustments?period=2026-11&format=csv")).text();
    expect(csv).toMatch(/,"burgerzaken",-12\.50,"'=HYPERLINK\(""http:\/\/evil\.example"";""klik""\)",/);
    const bytes = Buffer.from(
      await (await admin.get("/api/v1/adjustments?period=2026-11&format=csv-nl")).arrayBuffer(),
    );
    // a byte-order mark first, or Excel reads the UTF-8 as its ANSI code page
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const nl = bytes.subarray(3).toString("utf8");
    expect(nl.startsWith("id;period;department;amount;reason")).toBe(true);
    expect(nl).toMatch(/;"burgerzaken";-12,50;"'=HYPERLINK/);
  });

  test("the chargeback's amounts are number cells in both dialects", async () => {
    const rfc = parseCsv(await (await admin.get("/api/v1/chargeback?period=2026-11&format=csv")).text());
    const nl = parseCsv(await (await admin.get("/api/v1/chargeback?period=2026-11&format=csv-nl")).text(), ";");
    expect(rfc[0]?.fields.slice(4)).toEqual(["compute", "storage", "licences", "shared", "adjustments", "total"]);
    for (const row of rfc.slice(1)) for (const amount of row.fields.slice(4)) expect(amount).toMatch(/^-?\d+\.\d{2}$/);
    for (const row of nl.slice(1)) for (const amount of row.fields.slice(4)) expect(amount).toMatch(/^-?\d+,\d{2}$/);
  });
});
