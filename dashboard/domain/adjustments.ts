// Corrections: an adjustment line in an open month, optionally referring to the closed month it corrects.
import { UsageError } from "../../errors.js";
import { writeAudit } from "../data-access/auditLog.js";
import { lockPeriods, type Ledger } from "../data-access/database.js";
import { assertPeriodOpen, closedPeriod, insertAdjustment } from "../data-access/periods.js";
import type { Cents } from "./money.js";
import { parsePeriod } from "./period.js";

export interface NewAdjustment {
  period: string;
  department: string;
  amountCents: Cents;
  reason: string;
  refersToPeriod?: string | null;
  actor: string;
}

export async function addAdjustment(ledger: Ledger, a: NewAdjustment): Promise<number> {
  parsePeriod(a.period);
  if (a.refersToPeriod) parsePeriod(a.refersToPeriod, "--refers-to");
  if (a.reason.trim() === "") throw new UsageError("an adjustment needs a reason (--reason)");
  return ledger.db.transaction().execute(async (trx) => {
    await lockPeriods(trx, ledger.dialect, "shared");
    await assertPeriodOpen(trx, a.period, "adding an adjustment");
    const department = await trx.selectFrom("departments").select("id").where("id", "=", a.department).executeTakeFirst();
    if (!department) throw new UsageError(`unknown department "${a.department}" (--department)`);
    if (a.refersToPeriod && !(await closedPeriod(trx, a.refersToPeriod))) throw new UsageError(`--refers-to ${a.refersToPeriod} is not a closed period: correct an open month directly`);
    const at = new Date().toISOString();
    const record = { period: a.period, department: a.department, amountCents: a.amountCents, reason: a.reason, refersToPeriod: a.refersToPeriod ?? null, actor: a.actor, at };
    const id = await insertAdjustment(trx, record);
    await writeAudit(trx, { actor: a.actor, action: "create", entity: "adjustment", entityId: String(id), before: null, after: record, at });
    return id;
  });
}
