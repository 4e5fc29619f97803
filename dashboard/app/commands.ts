// The dashboard's state-changing use cases, shared by the JSON API and the HTML forms so both enforce
// the same rules: role and department checks, validation, the domain call, the cache invalidation.
import { addAdjustment } from "./adjustments.js";
import { closePeriod, setStatementStatus } from "./close.js";
import { parseCents, parseDecimal, parseMicroEuros } from "../domain/money.js";
import { applyMasterDataChanges, type ChangeSummary } from "../data-access/masterData.js";
import type { CostDriver, CostItem } from "../domain/records.js";
import { correctableRateVersion, rateCardProblems } from "../domain/rateCard.js";
import { managerRoles, signOffRoles, type Principal, type Role } from "../auth/roles.js";
import { AppError, forbidden, invalidInput, type FieldErrors } from "./appError.js";
import { assertDepartment } from "./departmentAccess.js";
import type { DashboardService } from "./dashboardService.js";
import {
  adjustmentBody,
  assignmentBody,
  closeBody,
  costItemBody,
  rateVersionBody,
  signOffBody,
} from "./requestSchemas.js";
import { parseInput, periodSchema } from "./validation.js";
import { departmentIdSchema } from "./validation.js";

function requireRole(principal: Principal, allowed: readonly Role[], what: string): void {
  if (!allowed.includes(principal.role)) throw forbidden(what);
}

export async function closeMonth(
  service: DashboardService,
  principal: Principal,
  periodParam: unknown,
  input: unknown,
) {
  requireRole(principal, managerRoles, "the ledger");
  const period = parseInput(periodSchema, periodParam, "path");
  const body = parseInput(closeBody, input, "body");
  const result = await closePeriod(service.ledger, period, {
    actor: principal.username,
    acceptGaps: body.acceptGaps,
    now: service.nowMs(),
  });
  service.invalidate();
  return { period: result.period, hash: result.hash, prevHash: result.prevHash, total: result.statement.total };
}

export async function signStatement(
  service: DashboardService,
  principal: Principal,
  periodParam: unknown,
  departmentParam: unknown,
  input: unknown,
) {
  requireRole(principal, signOffRoles, "statement sign-off");
  // another department's statement is refused before anything else is looked at (the form sends the period)
  const department = parseInput(departmentIdSchema, departmentParam, "path");
  assertDepartment(principal, department);
  const period = parseInput(periodSchema, periodParam, "path");
  const body = parseInput(signOffBody, input, "body");
  await setStatementStatus(service.ledger, period, department, body.status, principal.username, body.comment ?? null);
  service.invalidate();
  return service.statementState(period, department);
}

export async function createAdjustment(
  service: DashboardService,
  principal: Principal,
  input: unknown,
): Promise<number> {
  requireRole(principal, managerRoles, "the ledger");
  const body = parseInput(adjustmentBody, input, "body");
  const id = await addAdjustment(service.ledger, {
    period: body.period,
    department: body.department,
    amountCents: parseCents(body.amount, "amount"),
    reason: body.reason,
    refersToPeriod: body.refersToPeriod ?? null,
    actor: principal.username,
  });
  service.invalidate();
  return id;
}

export async function saveAssignment(
  service: DashboardService,
  principal: Principal,
  input: unknown,
): Promise<ChangeSummary[]> {
  requireRole(principal, managerRoles, "the ledger");
  const body = parseInput(assignmentBody, input, "body");
  const master = await service.masterData();
  if (!master.licenceProducts.some((p) => p.id === body.productId))
    throw new AppError("invalid-input", "unknown licence product", 400, {
      "body.productId": [`no licence product "${body.productId}"`],
    });
  if (!master.departments.some((d) => d.id === body.department))
    throw new AppError("invalid-input", "unknown department", 400, {
      "body.department": [`no department "${body.department}"`],
    });
  if (body.validTo !== null && body.validTo < body.validFrom)
    throw new AppError("invalid-input", "validTo before validFrom", 400, {
      "body.validTo": ["must not be before validFrom"],
    });
  const changes = await service.ledger.db
    .transaction()
    .execute((trx) => applyMasterDataChanges(trx, { licenceAssignments: [body] }, {}, principal.username));
  service.invalidate();
  return changes;
}

export async function addRateVersion(
  service: DashboardService,
  principal: Principal,
  input: unknown,
): Promise<ChangeSummary[]> {
  requireRole(principal, managerRoles, "the ledger");
  const body = parseInput(rateVersionBody, input, "body");
  const problems = rateCardProblems(body.prices);
  if (problems.length > 0) {
    throw invalidInput(Object.fromEntries(problems.map((p) => [`body.prices.${p.key}`, [p.message]])));
  }
  const existing = (await service.rateVersions()).find((v) => v.validFrom === body.validFrom);
  const today = new Date(service.nowMs()).toISOString().slice(0, 10);
  if (existing && !correctableRateVersion(existing, today)) {
    const why = `a rate-card version from ${body.validFrom} is in effect: a change is a new version with a new date`;
    throw invalidInput({ "body.validFrom": [`${why} (a future version, or one missing prices, can be corrected)`] });
  }
  const prices = Object.fromEntries(Object.entries(body.prices).map(([k, v]) => [k, parseMicroEuros(v, k)]));
  const changes = await service.ledger.db
    .transaction()
    .execute((trx) =>
      applyMasterDataChanges(
        trx,
        { rateVersions: [{ validFrom: body.validFrom, note: body.note ?? null, prices }] },
        {},
        principal.username,
      ),
    );
  service.invalidate();
  return changes;
}

/** A fixed split is stored in basis points (1/100 of a percent): "60.5" → 6050. Exact, no floats. */
function toBasisPoints(percentages: Record<string, string>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(percentages).map(([department, percent]) => [
      department,
      Number(parseDecimal(percent, 2, `percentages.${department}`)),
    ]),
  );
}

const basisPointsText = (bp: number): string => `${Math.trunc(bp / 100)}.${String(bp % 100).padStart(2, "0")}`;

/** What is wrong with a split for `driver`: only `fixed` has one, over known departments, summing to 100 %. */
function percentageProblems(
  driver: CostDriver,
  percentages: Record<string, string> | null,
  departments: ReadonlySet<string>,
): FieldErrors {
  if (driver !== "fixed")
    return percentages === null ? {} : { "body.percentages": [`only for the driver "fixed", not "${driver}"`] };
  if (percentages === null)
    return {
      "body.percentages": [
        'required for the driver "fixed": department → percent, e.g. {"burgerzaken": "60", "ict": "40"}',
      ],
    };
  const problems: FieldErrors = {};
  for (const department of Object.keys(percentages))
    if (!departments.has(department)) problems[`body.percentages.${department}`] = [`no department "${department}"`];
  const sum = Object.values(toBasisPoints(percentages)).reduce((a, b) => a + b, 0);
  if (sum !== 10_000) problems["body.percentages"] = [`must sum to 100 %, not ${basisPointsText(sum)} %`];
  return problems;
}

export async function saveCostItem(
  service: DashboardService,
  principal: Principal,
  input: unknown,
): Promise<ChangeSummary[]> {
  requireRole(principal, managerRoles, "the ledger");
  const body = parseInput(costItemBody, input, "body");
  const percentages = body.percentages ?? null;
  const master = await service.masterData();
  const problems = percentageProblems(body.driver, percentages, new Set(master.departments.map((d) => d.id)));
  if (body.validTo !== null && body.validTo < body.validFrom)
    problems["body.validTo"] = ["must not be before validFrom"];
  // A form without the field keeps the counter a metered item already has.
  const metric = body.metric ?? master.costItems.find((i) => i.id === body.id)?.metric ?? null;
  if (body.driver === "metered" && metric === null)
    problems["body.metric"] = ['required for the driver "metered": the counter it is split by'];
  else if (body.driver !== "metered" && body.metric)
    problems["body.metric"] = [`only for the driver "metered", not "${body.driver}"`];
  if (Object.keys(problems).length > 0) throw invalidInput(problems);
  const item: CostItem = {
    id: body.id,
    name: body.name,
    monthlyCents: parseCents(body.monthly, "monthly"),
    driver: body.driver,
    percentages: percentages === null ? null : toBasisPoints(percentages),
    validFrom: body.validFrom,
    validTo: body.validTo,
    ...(body.driver === "metered" && metric !== null ? { metric } : {}),
  };
  const changes = await service.ledger.db
    .transaction()
    .execute((trx) => applyMasterDataChanges(trx, { costItems: [item] }, {}, principal.username));
  service.invalidate();
  return changes;
}
