// Corrections: an adjustment line in an open month, optionally referring to the closed month it corrects.
// One validation (`checkAdjustment`) for the CLI, the API and the form: all three call `addAdjustment`.
import { UsageError } from "../../errors.js";
import { writeAudit } from "../data-access/auditLog.js";
import { lockPeriods, type Ledger } from "../data-access/database.js";
import { assertPeriodOpen, closedPeriod, insertAdjustment } from "../data-access/periods.js";
import { formatEuros, parseCents, type Cents } from "../domain/money.js";
import { currentPeriod, nextPeriod, parsePeriod } from "../domain/period.js";

export interface NewAdjustment {
  period: string;
  department: string;
  amountCents: Cents;
  reason: string;
  refersToPeriod?: string | null;
  actor: string;
}

export interface AdjustmentRules {
  /** The largest amount either way (the `ledger.adjustmentLimit` setting). */
  maxAmountCents: Cents;
  /** The clock that decides which month is next month. */
  now?: number;
}

export const defaultAdjustmentLimit = "1000000";
export const maxReasonLength = 500;

/** This process's limit, set once at start from the `ledger.adjustmentLimit` setting (default €1,000,000). */
let configuredLimitCents: Cents = parseCents(defaultAdjustmentLimit, "ledger.adjustmentLimit");

export function configureAdjustmentLimit(limitCents: Cents): void {
  configuredLimitCents = limitCents;
}

export function configuredAdjustmentRules(): AdjustmentRules {
  return { maxAmountCents: configuredLimitCents };
}

// C0 and C1 controls and DEL (Cc), and the bidirectional controls that make a text read otherwise than
// it is stored (Bidi_Control: U+061C, U+200E/F, U+202A–E, U+2066–9)
const controlCharacter = /[\p{Cc}\p{Bidi_Control}]/u;

/**
 * The bounds an adjustment must keep before the ledger is asked (which then refuses a closed month):
 * a non-zero amount within the limit, a month no later than next month, a reason of plain text.
 */
export function checkAdjustment(a: NewAdjustment, rules: AdjustmentRules): void {
  parsePeriod(a.period);
  if (a.refersToPeriod) parsePeriod(a.refersToPeriod, "--refers-to");
  const latest = nextPeriod(currentPeriod(rules.now ?? Date.now()));
  if (a.period > latest) {
    const valid = `give an open month no later than next month (${latest})`;
    throw new UsageError(`adjustment period ${a.period} is too far ahead: ${valid}`);
  }
  if (a.amountCents === 0n) {
    throw new UsageError("adjustment amount is zero: give a non-zero amount in euros (a negative one credits)");
  }
  const magnitude = a.amountCents < 0n ? -a.amountCents : a.amountCents;
  if (magnitude > rules.maxAmountCents) {
    const limit = `±${formatEuros(rules.maxAmountCents)} euros (ledger.adjustmentLimit)`;
    throw new UsageError(`adjustment amount ${formatEuros(a.amountCents)} is beyond the limit of ${limit}`);
  }
  if (a.reason.trim() === "") throw new UsageError("an adjustment needs a reason (--reason)");
  if (a.reason.length > maxReasonLength) {
    throw new UsageError(`adjustment reason is ${a.reason.length} characters long: at most ${maxReasonLength}`);
  }
  const control = controlCharacter.exec(a.reason);
  if (control) {
    const code = `U+${(control[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
    const where = `the control character ${code} at position ${control.index + 1}`;
    throw new UsageError(`adjustment reason contains ${where}: give plain text on one line`);
  }
}

export async function addAdjustment(
  ledger: Ledger,
  a: NewAdjustment,
  rules: AdjustmentRules = configuredAdjustmentRules(),
): Promise<number> {
  checkAdjustment(a, rules);
  return ledger.db.transaction().execute(async (trx) => {
    await lockPeriods(trx, ledger.dialect, "shared");
    await assertPeriodOpen(trx, a.period, "adding an adjustment");
    const department = await trx
      .selectFrom("departments")
      .select("id")
      .where("id", "=", a.department)
      .executeTakeFirst();
    if (!department) throw new UsageError(`unknown department "${a.department}" (--department)`);
    if (a.refersToPeriod && !(await closedPeriod(trx, a.refersToPeriod)))
      throw new UsageError(`--refers-to ${a.refersToPeriod} is not a closed period: correct an open month directly`);
    const at = new Date().toISOString();
    const record = {
      period: a.period,
      department: a.department,
      amountCents: a.amountCents,
      reason: a.reason,
      refersToPeriod: a.refersToPeriod ?? null,
      actor: a.actor,
      at,
    };
    const id = await insertAdjustment(trx, record);
    await writeAudit(trx, {
      actor: a.actor,
      action: "create",
      entity: "adjustment",
      entityId: String(id),
      before: null,
      after: record,
      at,
    });
    return id;
  });
}
