// Period close and its safeguards, on both backends: the SHA-256 chain, a closed month refusing every
// write, corrections as adjustments in an open month, sign-off and dispute, the audit log, and an import
// with bad rows changing nothing.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readAuditLog } from "../../dashboard/data-access/auditLog.js";
import type { Ledger } from "../../dashboard/data-access/database.js";
import { loadMasterData } from "../../dashboard/data-access/masterData.js";
import { PeriodClosedError } from "../../dashboard/data-access/periods.js";
import { recordHour } from "../../dashboard/data-access/usage.js";
import { addAdjustment } from "../../dashboard/app/adjustments.js";
import { chargeback } from "../../dashboard/app/chargeback.js";
import { closePeriod, setStatementStatus, verifyChain } from "../../dashboard/app/close.js";
import { importMasterData } from "../../dashboard/app/ledgerImport.js";
import { backends, freshLedger } from "./helpers/backends.js";
import { fixtureDir, seedHandMonth } from "./helpers/handMonth.js";
import { started } from "../helpers/started.js";

const afterOctober = Date.parse("2026-11-28T12:00:00Z");
const afterNovember = Date.parse("2026-12-02T12:00:00Z");

describe.each(backends)("period close on $name", (backend) => {
  let ledger: Ledger;
  let hash: string;
  beforeAll(async () => {
    ledger = await freshLedger(backend);
    await seedHandMonth(ledger);
    const open = await chargeback(ledger, "2026-10");
    const closed = await closePeriod(ledger, "2026-10", { actor: "anna", now: afterOctober });
    hash = closed.hash;
    expect(closed.statement.total).toBe(open.total);
  }, 120_000);
  afterAll(async () => {
    await started(ledger)?.close();
    await backend.cleanup();
  });

  it("freezes the statement in the chain, and serves it as closed", async () => {
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await verifyChain(ledger)).toEqual({ ok: true, periods: 1 });
    const doc = await chargeback(ledger, "2026-10");
    expect(doc.status).toBe("closed");
    expect(doc.closed?.hash).toBe(hash);
    expect(doc.closed?.prevHash).toBe("0".repeat(64));
    expect(doc.total).toBe("3286.88");
  });

  it("refuses every write to the closed month", async () => {
    await expect(
      recordHour(ledger.db, ledger.dialect, "2026-10-05T00", [
        { subject: "bz-app-01", meter: "fs_used_bytes", department: "burgerzaken", value: 1n, status: "ok" },
      ]),
    ).rejects.toBeInstanceOf(PeriodClosedError);
    await expect(
      addAdjustment(ledger, { period: "2026-10", department: "ict", amountCents: 100n, reason: "late", actor: "anna" }),
    ).rejects.toThrow(/period 2026-10 is closed/);
    const rateInClosed =
      'rateCards:\n  - validFrom: 2026-10-20\n    prices: { compute.vcpuHour: "0.03", compute.memoryGibHour: ' +
      '"0.005", storage.serverGbMonth: "0.10", storage.shareGbMonth: "0.05" }\n';
    await expect(
      importMasterData(ledger, rateInClosed, { format: "yaml", source: "r.yaml", actor: "anna" }),
    ).rejects.toThrow(/period 2026-10 is closed/);
    const moreSeats =
      "licenceAssignments:\n  - { id: a-bz-m365, product: m365-e3, department: burgerzaken, seats: 60, from: " +
      "2026-01-01 }\n";
    await expect(
      importMasterData(ledger, moreSeats, { format: "yaml", source: "a.yaml", actor: "anna" }),
    ).rejects.toThrow(/period 2026-10 is closed/);
    await expect(closePeriod(ledger, "2026-10", { actor: "anna", now: afterOctober })).rejects.toThrow(
      /already closed/,
    );
    // The frozen statement is unchanged by all of it.
    expect((await chargeback(ledger, "2026-10")).closed?.hash).toBe(hash);
  });

  it("allows changes that leave the closed days as they were", async () => {
    const ending =
      "licenceAssignments:\n  - { id: a-bel-m365, product: m365-e3, department: belastingen, seats: 30, " +
      "from: 2026-01-01, to: 2026-11-15 }\n";
    await expect(
      importMasterData(ledger, ending, { format: "yaml", source: "e.yaml", actor: "anna" }),
    ).resolves.toHaveLength(1);
  });

  it("books a correction in the open month, referring to the closed one", async () => {
    const id = await addAdjustment(ledger, {
      period: "2026-11",
      department: "belastingen",
      amountCents: -2500n,
      reason: "disk double-counted",
      refersToPeriod: "2026-10",
      actor: "anna",
    });
    const november = await chargeback(ledger, "2026-11");
    const bel = november.departments.find((d) => d.id === "belastingen");
    expect(bel?.adjustments).toBe("-25.00");
    const line = november.lines.find((l) => l.item === `adjustment-${id}`);
    expect(line?.description).toBe("disk double-counted (correction of 2026-10)");
    await expect(
      addAdjustment(ledger, {
        period: "2026-11",
        department: "belastingen",
        amountCents: 1n,
        reason: "x",
        refersToPeriod: "2026-09",
        actor: "anna",
      }),
    ).rejects.toThrow(/not a closed period/);
  });

  it("records sign-off and dispute per department statement", async () => {
    await setStatementStatus(ledger, "2026-10", "burgerzaken", "signed-off", "controller-bz");
    await setStatementStatus(ledger, "2026-10", "belastingen", "disputed", "controller-bel", "licence count is wrong");
    await expect(setStatementStatus(ledger, "2026-10", "ict", "disputed", "x")).rejects.toThrow(/needs a reason/);
    await expect(setStatementStatus(ledger, "2026-11", "ict", "signed-off", "x")).rejects.toThrow(/not closed/);
    const doc = await chargeback(ledger, "2026-10");
    expect(doc.signOff?.map((s) => [s.department, s.status, s.actor, s.comment])).toEqual([
      ["belastingen", "disputed", "controller-bel", "licence count is wrong"],
      ["burgerzaken", "signed-off", "controller-bz", null],
    ]);
  });

  it("writes every change to the audit log with before and after", async () => {
    const log = await readAuditLog(ledger.db);
    const kinds = new Set(log.map((e) => `${e.entity}:${e.action}`));
    for (const k of [
      "departments:create",
      "rateVersions:create",
      "licenceAssignments:create",
      "licenceAssignments:update",
      "period:close",
      "adjustment:create",
      "statement:sign-off",
      "statement:dispute",
    ])
      expect(kinds, k).toContain(k);
    const update = log.find((e) => e.entity === "licenceAssignments" && e.action === "update");
    expect(update?.before).toMatchObject({ id: "a-bel-m365", validTo: null });
    expect(update?.after).toMatchObject({ id: "a-bel-m365", validTo: "2026-11-15" });
    expect(log.every((e) => e.actor !== "" && !Number.isNaN(Date.parse(e.at)))).toBe(true);
  });

  it("rejects an import with bad rows as a whole, listing each with its line", async () => {
    const before = await loadMasterData(ledger.db);
    const auditBefore = (await readAuditLog(ledger.db)).length;
    const text = readFileSync(join(fixtureDir, "bad-import.yaml"), "utf8");
    const error = await importMasterData(ledger, text, {
      format: "yaml",
      source: "bad-import.yaml",
      actor: "anna",
    }).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toMatch(/^bad-import\.yaml: 4 bad rows, nothing imported:/);
    expect(message).toContain(
      "bad-import.yaml:3: departments[1].costCenter: Invalid input: expected string, received number",
    );
    expect(message).toContain(
      "bad-import.yaml:8: rateCards[0].prices.compute.vcpuHour: a non-negative price in euros with at most 6 decimals",
    );
    expect(message).toContain("bad-import.yaml:10: licenceContracts[0].end: end is before start");
    expect(message).toContain(
      "bad-import.yaml:12: costItems[0].percentages: fixed percentages must add up to 100, they add up to 90",
    );
    expect(await loadMasterData(ledger.db)).toEqual(before);
    expect(await readAuditLog(ledger.db)).toHaveLength(auditBefore);
  });

  it("refuses a month with gaps unless they are accepted, and detects a rewritten closed month", async () => {
    await recordHour(ledger.db, ledger.dialect, "2026-11-01T00", [
      { subject: "bz-app-01", meter: "fs_used_bytes", department: "burgerzaken", value: null, status: "gap" },
    ]);
    await expect(closePeriod(ledger, "2026-11", { actor: "anna", now: afterNovember })).rejects.toThrow(
      /1 host-hours without data/,
    );
    await expect(closePeriod(ledger, "2026-12", { actor: "anna", now: afterNovember })).rejects.toThrow(
      /has not ended/,
    );
    const november = await closePeriod(ledger, "2026-11", { actor: "anna", now: afterNovember, acceptGaps: true });
    expect(november.prevHash).toBe(hash);
    expect(await verifyChain(ledger)).toEqual({ ok: true, periods: 2 });
    const october = await ledger.db
      .selectFrom("periods")
      .select("statement")
      .where("period", "=", "2026-10")
      .executeTakeFirstOrThrow();
    await ledger.db
      .updateTable("periods")
      .set({ statement: october.statement.replace('"total":"3286.88"', '"total":"3000.00"') })
      .where("period", "=", "2026-10")
      .execute();
    expect(await verifyChain(ledger)).toEqual({ ok: false, periods: 2, brokenAt: "2026-10" });
  });
});
