// The register pages' remaining pieces: licence contracts (organisation-wide: not for controllers), the
// open months' adjustments on the periods page (a controller sees only their own), and the audit log
// viewer's entity filter and paging.
import { describe, expect, test } from "vitest";
import { useTestDashboard, type Client } from "./testServer.js";
import { joinedRegExp } from "../../helpers/joinedRegExp.js";

const t = useTestDashboard(["manager", "auditor", "ctl-bz"]);

const html = async (client: Client, path: string): Promise<string> =>
  (await client.get(path, { headers: { accept: "text/html" } })).text();

describe("registers", () => {
  test(
    "licence contracts: listed for managers and auditors with " + "price, supplier and order; never for controllers",
    async () => {
      const contracts = (
        (await (await t.auditor.get("/api/v1/licences/contracts")).json()) as {
          contracts: { id: string; productId: string; unitPrice: string; supplier: string; purchaseOrder: string }[];
        }
      ).contracts;
      expect(contracts.length).toBeGreaterThan(0);
      for (const c of contracts) expect(c.unitPrice).toMatch(/^\d+\.\d{2,6}$/);
      const page = await html(t.manager, "/licences");
      for (const c of contracts) expect(page).toContain(c.purchaseOrder);
      const own = (await (await t["ctl-bz"].get("/api/v1/licences")).json()) as Record<string, unknown>;
      expect(own.contracts).toBeUndefined();
      const ownPage = await html(t["ctl-bz"], "/licences");
      for (const c of contracts) expect(ownPage).not.toContain(c.purchaseOrder);
    },
  );

  test("the periods page lists the open months' adjustments, scoped for controllers", async () => {
    for (const [department, reason] of [
      ["burgerzaken", "credit for outage bz"],
      ["belastingen", "credit for outage bel"],
    ]) {
      expect(
        (await t.manager.post("/api/v1/adjustments", { period: "2026-11", department, amount: "-12.50", reason }))
          .status,
      ).toBe(201);
    }
    const page = await html(t.manager, "/periods");
    expect(page).toContain("Correcties in 2026-11");
    expect(page).toContain("credit for outage bz");
    expect(page).toContain("credit for outage bel");
    expect(page).toMatch(/€\s-12,50/);
    const own = await html(t["ctl-bz"], "/periods");
    expect(own).toContain("credit for outage bz");
    expect(own).not.toContain("credit for outage bel");
  });

  test("the audit log viewer filters by entity and pages back by id", async () => {
    const all = (
      (await (await t.auditor.get("/api/v1/audit-log?limit=10000")).json()) as {
        entries: { id: number; entity: string }[];
      }
    ).entries;
    const entity = all[0]?.entity ?? "";
    const filtered = await html(t.auditor, `/audit-log?entity=${entity}`);
    const rows = [
      ...filtered.matchAll(
        joinedRegExp(
          [
            /<tr><td class="nowrap"><time /,
            /datetime="[^"]+">[^<]*<\/time><\/td><td>[^<]*<\/td><td>[^<]*<\/td><td>([a-z_]+) /,
          ],
          "g",
        ),
      ),
    ].map((m) => m[1]);
    expect(rows.length).toBe(all.filter((e) => e.entity === entity).length);
    expect(new Set(rows)).toEqual(new Set([entity]));
    const middle = all[Math.floor(all.length / 2)]?.id ?? 0;
    const older = await html(t.auditor, `/audit-log?before=${middle}`);
    const count = (older.match(/<tr><td class="nowrap"><time /g) ?? []).length;
    expect(count).toBe(all.filter((e) => e.id < middle).length);
    expect((await t.auditor.get("/audit-log?entity=DROP%20TABLE", { headers: { accept: "text/html" } })).status).toBe(
      400,
    );
  });
});
