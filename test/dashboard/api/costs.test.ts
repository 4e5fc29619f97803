// The costs page and /api/v1/costs through the real server: service managers, auditors and admins see the
// month's whole reconciliation, a department controller only their department's line, an operator nothing;
// CSV export; Dutch by default, English by the language cookie; a rate proposal computed, shown and adopted.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { importBill } from "../../../dashboard/app/billImport.js";
import type { ReconciliationJson } from "../../../dashboard/domain/billReconciliation.js";
import { vmId, writeFocusCsv } from "../helpers/focusFixtures.js";
import { login, startTestDashboard, type Client, type TestDashboard } from "./testServer.js";

let dir: string;
let dashboard: TestDashboard | undefined;
let manager: Client;
let auditor: Client;
let controller: Client;
let operator: Client;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "muniops-costs-api-"));
  dashboard = await startTestDashboard();
  const bill = join(dir, "october.csv");
  writeFocusCsv(bill, "1.2-preview", "2026-10", [
    { billed: "150.00", resourceId: vmId("bz-app-01") },
    { billed: "40.00", tags: { Department: "belastingen" }, serviceCategory: "Storage", serviceName: "Storage" },
    { billed: "12.00", tags: { department: "sport" } },
    { billed: "900.00", serviceCategory: "Networking", serviceName: "Azure Firewall" },
  ]);
  await importBill(dashboard.ledger, [bill], { actor: "test" });
  const clients = await Promise.all(
    ["manager", "auditor", "ctl-bz", "operator"].map((name) => login(dashboard!.url, name)),
  );
  [manager, auditor, controller, operator] = clients as [Client, Client, Client, Client];
}, 120_000);

afterAll(async () => {
  await dashboard?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const reconciliation = async (client: Client, query = "?period=2026-10") => {
  const res = await client.get(`/api/v1/costs/reconciliation${query}`);
  return { status: res.status, body: (await res.json()) as ReconciliationJson & { scope: string } };
};

describe("costs API", () => {
  test("service managers and auditors read the whole month; the newest billed month by default", async () => {
    const { status, body } = await reconciliation(manager);
    expect(status).toBe(200);
    expect(body).toMatchObject({ period: "2026-10", scope: "organisation", total: "1102.00", unallocated: "900.00" });
    expect(body.departments.find((d) => d.id === "sport")).toMatchObject({ known: false, flag: "unknown department" });
    expect((await reconciliation(auditor, "")).body).toEqual(body);
  });

  test("a department controller sees only their department; an operator is refused", async () => {
    const { body } = await reconciliation(controller);
    expect(body.scope).toBe("departments");
    expect(body.departments.map((d) => d.id)).toEqual(["burgerzaken"]);
    expect(body).not.toHaveProperty("invoices");
    expect(body).not.toHaveProperty("unallocated");
    expect((await operator.get("/api/v1/costs/reconciliation")).status).toBe(403);
    expect((await controller.get("/api/v1/costs/rate-proposal")).status).toBe(403);
  });

  test("exports CSV and refuses a malformed month", async () => {
    const res = await manager.get("/api/v1/costs/reconciliation?period=2026-10&format=csv");
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text.split("\r\n")[0]).toBe("period,department,known,effectiveCost,charged,difference,recovery");
    expect(text).toContain("unallocated");
    expect((await manager.get("/api/v1/costs/reconciliation?period=2026-13")).status).toBe(400);
  });

  test("computes a rate proposal, shows it, and adopts it only for a future date", async () => {
    const created = await manager.post("/api/v1/costs/rate-proposal", { margin: "5" });
    expect(created.status).toBe(201);
    const proposal = (await created.json()) as { id: string; months: string[]; marginPercent: string };
    expect(proposal).toMatchObject({ months: ["2026-10"], marginPercent: "5.00" });
    expect((await auditor.post("/api/v1/costs/rate-proposal", { margin: "5" })).status).toBe(403);
    const read = (await (await auditor.get("/api/v1/costs/rate-proposal")).json()) as { id: string };
    expect(read.id).toBe(proposal.id);
    const past = await manager.post(`/api/v1/costs/rate-proposal/${proposal.id}/adopt`, { validFrom: "2026-11-01" });
    expect(past.status).toBe(400);
    const adopt = await manager.post(`/api/v1/costs/rate-proposal/${proposal.id}/adopt`, { validFrom: "2027-01-01" });
    expect(adopt.status).toBe(200);
    const page = await (await manager.get("/costs?period=2026-10")).text();
    expect(page).toContain("Overgenomen per 2027-01-01.");
  });
});

describe("costs page", () => {
  test("Dutch by default, euros, the unknown department flagged; English by the language cookie", async () => {
    const res = await manager.get("/costs?period=2026-10");
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain("Werkelijke kosten: cloudrekening en doorbelasting in 2026-10");
    expect(page).toMatch(/€\s1\.102,00/u);
    expect(page).toContain("sport <em>(onbekende afdeling)</em>");
    expect(page).toContain("Facturen in 2026-10");
    const english = await (
      await manager.get("/costs?period=2026-10", { headers: { cookie: `${manager.cookie}; muniops_lang=en` } })
    ).text();
    expect(english).toContain("Actual costs: the cloud bill and the chargeback in 2026-10");
    expect(english).toContain("€1,102.00");
  });

  test("a controller's page has their department only; a month without a bill says so", async () => {
    const page = await (await controller.get("/costs?period=2026-10")).text();
    expect(page).toContain("burgerzaken");
    expect(page).not.toContain("belastingen");
    expect(page).not.toContain("Facturen");
    const empty = await (await manager.get("/costs?period=2026-05")).text();
    expect(empty).toContain("Er is geen rekening geïmporteerd voor 2026-05");
    expect((await operator.get("/costs")).status).toBe(403);
  });
});
