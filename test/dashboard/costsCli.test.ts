// `muniops costs …` as a user runs it: a file lacking a mandatory column is refused naming the column and
// the file (exit 2, one line, no stack trace); a good one is imported once, and reconciled as table,
// JSON and CSV; the rate proposal is saved and adopted for a future date.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { focusCsv, vmId, writeFocusCsv } from "./helpers/focusFixtures.js";
import { openLedger } from "../../dashboard/data-access/database.js";
import { seedHandMonth } from "./helpers/handMonth.js";

const dir = mkdtempSync(join(tmpdir(), "muniops-costs-cli-"));
const env = {
  MUNIOPS_DATABASE_URL: join(dir, "ledger.db"),
  MUNIOPS_LEDGER_ACTOR: "cli-test",
  MUNIOPS_INVENTORY: join(dir, "no-inventory.json"),
};
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("muniops costs", () => {
  it("imports, refuses a file without a mandatory column, reconciles and proposes rates", async () => {
    const ledger = await openLedger(env.MUNIOPS_DATABASE_URL, { create: true });
    await seedHandMonth(ledger);
    await ledger.close();

    const text = focusCsv("1.2-preview", "2026-10", [{ billed: "1.00" }]);
    const [header = "", ...rest] = text.split("\r\n");
    const broken = join(dir, "broken.csv");
    writeFileSync(broken, [header.replace(",EffectiveCost,", ",Effective_Cost,"), ...rest].join("\r\n"));
    const refused = await runCli(["costs", "import", broken], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      `muniops: ${broken}: not a FOCUS cost and usage export: missing mandatory column EffectiveCost\n`,
    );

    const bill = join(dir, "october.csv");
    writeFocusCsv(bill, "1.2-preview", "2026-10", [
      { billed: "150.00", resourceId: vmId("bz-app-01") },
      { billed: "40.00", tags: { Department: "belastingen" }, serviceCategory: "Storage", serviceName: "Storage" },
      { billed: "900.00", serviceCategory: "Networking", serviceName: "Azure Firewall" },
    ]);
    const imported = await runCli(["costs", "import", bill], { env });
    expect(imported.stderr).toBe("");
    expect(imported.stdout).toContain("billing period 2026-10: 3 rows, billed € 1090.0000000000");
    const again = await runCli(["costs", "import", bill], { env });
    expect(again.stdout).toMatch(/october\.csv: already imported \(sha256 [0-9a-f]{12}…\), nothing changed/);

    const json = await runCli(["costs", "reconcile", "--period", "2026-10", "--format", "json"], { env });
    const doc = JSON.parse(json.stdout) as { total: string; unallocated: string; departments: { id: string }[] };
    expect(doc).toMatchObject({ period: "2026-10", currency: "EUR", total: "1090.00", unallocated: "900.00" });
    expect(Object.keys(doc)).toEqual(
      expect.arrayContaining(["period", "currency", "invoices", "total", "unallocated", "departments"]),
    );
    const csv = await runCli(["costs", "reconcile", "--period", "2026-10", "--format", "csv"], { env });
    expect(csv.stdout.split("\r\n")[0]).toBe("period,department,known,effectiveCost,charged,difference,recovery");
    expect(csv.stdout).toContain(`"2026-10","total","",1090.00,,,\r\n`);

    const proposed = await runCli(["costs", "propose-rates", "--margin", "5", "--format", "json"], { env });
    expect(proposed.stderr).toBe("");
    const proposal = JSON.parse(proposed.stdout) as { id: string; months: string[]; prices: Record<string, string> };
    expect(proposal.months).toEqual(["2026-10"]);
    const adopted = await runCli(["costs", "adopt-rates", proposal.id, "--valid-from", "2099-01-01"], { env });
    expect(adopted.stderr).toBe("");
    expect(adopted.stdout).toBe(`rate proposal ${proposal.id} adopted: rate-card version from 2099-01-01\n`);
  }, 300_000);
});
