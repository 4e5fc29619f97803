// The JSON API under /api/v1: thin handlers that validate input (zod), check the role and department,
// call the domain, and answer JSON or, for lists, CSV (`?format=csv`).
import { Router, type RequestHandler } from "express";
import { z } from "zod";
import { currentPeriod } from "../domain/period.js";
import { auditLogEntries, visibleAdjustments } from "../app/ledgerRegisters.js";
import { contractRows, departmentDetail, periodList } from "../app/departmentViews.js";
import {
  auditRoles,
  managerRoles,
  moneyRoles,
  organisationMoneyRoles,
  roles,
  signOffRoles,
  departmentScope,
} from "../auth/roles.js";
import { notFound } from "../app/appError.js";
import { formatEuros, formatMicroEuros } from "../domain/money.js";
import {
  addRateVersion,
  closeMonth,
  createAdjustment,
  saveAssignment,
  saveCostItem,
  signStatement,
} from "../app/commands.js";
import { assertDepartment } from "../app/departmentAccess.js";
import { principalOf, requireRoles } from "../http/authorize.js";
import type { DashboardService } from "../app/dashboardService.js";
import { complianceApi } from "./complianceApi.js";
import type { ComplianceSources } from "../app/complianceReports.js";
import { csvDialect, sendCsv, sendList as send } from "./listResponse.js";
import { decimal } from "../domain/csvWriter.js";
import { operationsApi } from "./operationsApi.js";
import { patchApi } from "./patchApi.js";
import { costApi } from "./costRoutes.js";
import { licenceWhatIfApi } from "./licenceWhatIfApi.js";
import { planForecast } from "../domain/planForecast.js";

import { openApiDocument } from "./openapi.js";
import { documentContentType, sendSerialised } from "../http/serialisedResponse.js";
import { departmentStatement, statementCsv, statementPdf } from "../domain/exports.js";
import {
  daySchema,
  departmentIdSchema,
  formatSchema,
  listFormats,
  parseInput,
  periodSchema,
} from "../app/validation.js";

export interface ApiOptions {
  slaTarget: number;
  compliance: ComplianceSources;
  inventoryFile?: string | undefined;
}

const listQuery = z.strictObject({ format: formatSchema });
const statementQuery = z.strictObject({
  period: periodSchema,
  format: z.enum([...listFormats, "pdf"]).default("json"),
});
const periodQuery = z.strictObject({ period: periodSchema.optional(), format: formatSchema });
// built once: zod compiles a schema on its first parse (~140 µs), which a per-request `extend` repeats
export const chargebackQuery = periodQuery.extend({ period: periodSchema });
const auditQuery = z.strictObject({
  entity: z.string().max(50).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(200),
  before: z.coerce.number().int().min(1).optional(),
  format: formatSchema,
});

function periodOrCurrent(period: string | undefined, service: DashboardService): string {
  return period ?? currentPeriod(service.nowMs());
}

/** What each group of routes registers on and calls. */
interface ApiRoutes {
  api: Router;
  service: DashboardService;
  options: ApiOptions;
  /** Roles that see costs. */
  money: RequestHandler;
  /** Roles that change the ledger. */
  manage: RequestHandler;
}

/**
 * The route groups, registered in this order (express matches in registration order). A new group is a
 * `register…Routes` function below and one line here.
 */
const routeGroups: ((routes: ApiRoutes) => void)[] = [
  registerSessionRoutes,
  registerOverviewRoutes,
  registerDepartmentRoutes,
  registerChargebackRoutes,
  registerPeriodRoutes,
  registerAdjustmentRoutes,
  registerLicenceRoutes,
  registerRateRoutes,
  registerCostItemRoutes,
  registerAuditRoutes,
  registerOperationsRoutes,
  registerComplianceRoutes,
  registerPatchRoutes,
  registerCostRoutes,
  registerLicenceWhatIfRoutes,
];

export function apiRouter(service: DashboardService, options: ApiOptions): Router {
  const api = Router();
  const money = requireRoles(moneyRoles, "costs");
  const manage = requireRoles(managerRoles, "the ledger");
  for (const register of routeGroups) register({ api, service, options, money, manage });
  return api;
}

/** The OpenAPI document and who is signed in. */
function registerSessionRoutes(routes: ApiRoutes): void {
  const { api } = routes;
  api.get("/openapi.json", (_req, res) => {
    res.json(openApiDocument());
  });

  api.get("/me", (_req, res) => {
    const p = principalOf(res);
    res.json({
      username: p.username,
      displayName: p.displayName,
      role: p.role,
      departments: p.departments,
      csrfToken: res.locals.csrfToken,
    });
  });
}

/** The overview with its budget forecast. */
function registerOverviewRoutes(routes: ApiRoutes): void {
  const { api, service, options, money } = routes;
  api.get("/overview", money, async (_req, res) => {
    const principal = principalOf(res);
    const data = await service.overview(principal);
    const forecast = planForecast(await service.masterData(), options.inventoryFile, data.currentPeriod);
    res.json({
      ...data,
      forecast: forecast
        ? Object.fromEntries(data.budget.map((b) => [b.department, forecast.get(b.department) ?? "0.00"]))
        : null,
    });
  });
}

/** Departments, one department's detail and its statement (JSON, CSV, PDF). */
function registerDepartmentRoutes(routes: ApiRoutes): void {
  const { api, service, options, money } = routes;
  api.get("/departments", async (req, res) => {
    const principal = principalOf(res);
    const { format } = parseInput(listQuery, req.query, "query");
    const seesMoney = moneyRoles.includes(principal.role);
    const departments = (await service.departments(principal)).map((d) => ({
      id: d.id,
      name: d.name,
      costCenter: d.costCenter,
      headcount: d.headcount,
      ...(seesMoney ? { annualBudget: d.annualBudgetCents === null ? null : centsText(d.annualBudgetCents) } : {}),
    }));
    const header = ["id", "name", "costCenter", "headcount", ...(seesMoney ? ["annualBudget"] : [])];
    const budget = (d: (typeof departments)[number]) => (seesMoney ? [amountCell(d.annualBudget ?? null)] : []);
    const rows = departments.map((d) => [d.id, d.name, d.costCenter, d.headcount, ...budget(d)]);
    send(res, format, "departments", header, rows, { departments });
  });

  api.get("/departments/:id", money, async (req, res) => {
    const principal = principalOf(res);
    const { id } = parseInput(z.object({ id: departmentIdSchema }), req.params, "path");
    const { period } = parseInput(periodQuery, req.query, "query");
    assertDepartment(principal, id);
    res.json(await departmentDetail(service, principal, id, periodOrCurrent(period, service), options.slaTarget));
  });

  api.get("/departments/:id/statement", money, async (req, res) => {
    const principal = principalOf(res);
    const { id } = parseInput(z.object({ id: departmentIdSchema }), req.params, "path");
    const query = parseInput(statementQuery, req.query, "query");
    assertDepartment(principal, id);
    const doc = await service.fullChargeback(query.period);
    if (!doc.departments.some((d) => d.id === id)) throw notFound(`a statement of "${id}" for ${query.period}`);
    const statement = departmentStatement(doc, id);
    const name = `statement-${id}-${query.period}`;
    if (query.format === "csv" || query.format === "csv-nl") {
      sendCsv(res, name, statementCsv(statement, csvDialect(query.format)));
    } else if (query.format === "pdf")
      res
        .type("application/pdf")
        .attachment(`${name}.pdf`)
        .send(await statementPdf(statement));
    else res.json(statement);
  });
}

/** A month's chargeback. */
function registerChargebackRoutes(routes: ApiRoutes): void {
  const { api, service, money } = routes;
  api.get("/chargeback", money, async (req, res) => {
    const principal = principalOf(res);
    const query = parseInput(chargebackQuery, req.query, "query");
    const doc = await service.chargeback(principal, query.period);
    if (query.format === "json") {
      sendSerialised(res, service.json(doc), documentContentType);
      return;
    }
    send(
      res,
      query.format,
      `chargeback-${query.period}`,
      [
        "period",
        "department",
        "name",
        "costCenter",
        "compute",
        "storage",
        "licences",
        "shared",
        "adjustments",
        "total",
      ],
      doc.departments.map((d) => {
        const amounts = [d.compute, d.storage, d.licences, d.shared, d.adjustments, d.total];
        return [doc.period, d.id, d.name, d.costCenter, ...amounts.map(decimal)];
      }),
      doc,
    );
  });
}

/** Periods: the list, closing a month, signing a department's statement. */
function registerPeriodRoutes(routes: ApiRoutes): void {
  const { api, service, money, manage } = routes;
  api.get("/periods", money, async (req, res) => {
    const principal = principalOf(res);
    const { format } = parseInput(listQuery, req.query, "query");
    const periods = await periodList(service, principal);
    send(
      res,
      format,
      "periods",
      ["period", "status", "closedAt", "closedBy", "hash"],
      periods.map((p) => [p.period, p.status, p.closedAt ?? "", p.closedBy ?? "", p.hash ?? ""]),
      { periods },
    );
  });

  api.post("/periods/:period/close", manage, async (req, res) => {
    res.status(201).json(await closeMonth(service, principalOf(res), req.params.period, req.body));
  });

  api.post(
    "/periods/:period/statements/:department",
    requireRoles(signOffRoles, "statement sign-off"),
    async (req, res) => {
      res.json(await signStatement(service, principalOf(res), req.params.period, req.params.department, req.body));
    },
  );
}

/** Adjustments: a month's list and a new one. */
function registerAdjustmentRoutes(routes: ApiRoutes): void {
  const { api, service, money, manage } = routes;
  api.get("/adjustments", money, async (req, res) => {
    const principal = principalOf(res);
    const query = parseInput(periodQuery, req.query, "query");
    const period = periodOrCurrent(query.period, service);
    const list = (await visibleAdjustments(service, principal, period)).map((a) => ({
      ...a,
      amount: centsText(a.amountCents),
      amountCents: undefined,
    }));
    const header = ["id", "period", "department", "amount", "reason", "refersToPeriod", "actor", "at"];
    const rows = list.map((a) => [
      a.id,
      a.period,
      a.department,
      decimal(a.amount),
      a.reason,
      a.refersToPeriod,
      a.actor,
      a.at,
    ]);
    send(res, query.format, `adjustments-${period}`, header, rows, { period, adjustments: list });
  });

  api.post("/adjustments", manage, async (req, res) => {
    res.status(201).json({ id: await createAdjustment(service, principalOf(res), req.body) });
  });
}

/** Licence positions, contracts and assignments. */
function registerLicenceRoutes(routes: ApiRoutes): void {
  const { api, service, money, manage } = routes;
  api.get("/licences", money, async (req, res) => {
    const principal = principalOf(res);
    const query = parseInput(z.strictObject({ day: daySchema.optional(), format: formatSchema }), req.query, "query");
    const day = query.day ?? new Date(service.nowMs()).toISOString().slice(0, 10);
    const view = await service.licences(principal, day);
    const assignments = await service.licenceAssignments(principal);
    if (view.scope === "departments") {
      // a controller: their own seats and charge per product, never the organisation's purchase
      const header = ["product", "name", "type", "seats", "period", "monthlyCost"];
      const rows = view.positions.map((p) => [
        p.productId,
        p.productName,
        p.licenceType,
        p.seats,
        p.period,
        decimal(p.monthlyCost),
      ]);
      const json = { day, scope: view.scope, products: view.positions, assignments };
      send(res, query.format, `licences-${day}`, header, rows, json);
      return;
    }
    const header = ["product", "name", "type", "purchased", "assigned", "free", "overAssigned", "monthlyCost"];
    const rows = view.positions.map((p) => [
      ...[p.productId, p.productName, p.licenceType],
      ...[p.purchased, p.assigned, p.free, p.overAssigned, decimal(p.monthlyCost)],
    ]);
    const contracts = contractRows(await service.licenceContracts());
    const json = { day, scope: view.scope, products: view.positions, assignments, contracts };
    send(res, query.format, `licences-${day}`, header, rows, json);
  });

  // Contracts are the organisation's purchases, not a department's: controllers see their seats only.
  api.get("/licences/contracts", requireRoles(organisationMoneyRoles, "licence contracts"), async (req, res) => {
    const { format } = parseInput(listQuery, req.query, "query");
    const contracts = contractRows(await service.licenceContracts());
    const header = ["id", "productId", "quantity", "unitPrice", "startDate", "endDate", "supplier", "purchaseOrder"];
    const rows = contracts.map((c) => [
      ...[c.id, c.productId, c.quantity, decimal(c.unitPrice)],
      ...[c.startDate, c.endDate, c.supplier, c.purchaseOrder],
    ]);
    send(res, format, "licence-contracts", header, rows, { contracts });
  });

  api.post("/licences/assignments", manage, async (req, res) => {
    res.status(201).json({ changes: await saveAssignment(service, principalOf(res), req.body) });
  });
}

/** Rate versions: the list and a new one. */
function registerRateRoutes(routes: ApiRoutes): void {
  const { api, service, money, manage } = routes;
  api.get("/rates", money, async (req, res) => {
    const { format } = parseInput(listQuery, req.query, "query");
    const versions = (await service.rateVersions()).map((v) => ({
      validFrom: v.validFrom,
      note: v.note,
      prices: Object.fromEntries(Object.entries(v.prices).map(([k, micro]) => [k, microText(micro)])),
    }));
    const rows = versions.flatMap((v) =>
      Object.entries(v.prices).map(([k, p]) => [v.validFrom, k, decimal(p), v.note ?? ""]),
    );
    send(res, format, "rates", ["validFrom", "meter", "eurPerUnit", "note"], rows, { versions });
  });

  api.post("/rates", manage, async (req, res) => {
    res.status(201).json({ changes: await addRateVersion(service, principalOf(res), req.body) });
  });
}

/** Shared cost items: a controller's own share, or every item for the organisation. */
function registerCostItemRoutes(routes: ApiRoutes): void {
  const { api, service, money, manage } = routes;
  api.get("/cost-items", money, async (req, res) => {
    const { format } = parseInput(listQuery, req.query, "query");
    const scope = departmentScope(principalOf(res));
    if (scope) {
      // a controller: their own departments' split and charge, never the item's total or others' shares
      const own = await service.ownCostItems(scope);
      const rows = own.map((i) => [i.id, i.name, i.driver, i.validFrom, i.validTo, i.period, decimal(i.charged)]);
      const header = ["id", "name", "driver", "validFrom", "validTo", "period", "charged"];
      send(res, format, "cost-items", header, rows, { scope: "departments", costItems: own });
      return;
    }
    const items = (await service.costItems()).map((i) => ({
      id: i.id,
      name: i.name,
      monthly: centsText(i.monthlyCents),
      driver: i.driver,
      percentages: i.percentages,
      validFrom: i.validFrom,
      validTo: i.validTo,
    }));
    const rows = items.map((i) => [i.id, i.name, decimal(i.monthly), i.driver, i.validFrom, i.validTo]);
    const header = ["id", "name", "monthly", "driver", "validFrom", "validTo"];
    send(res, format, "cost-items", header, rows, { scope: "all", costItems: items });
  });

  api.post("/cost-items", manage, async (req, res) => {
    res.status(201).json({ changes: await saveCostItem(service, principalOf(res), req.body) });
  });
}

/** The audit log and the roles. */
function registerAuditRoutes(routes: ApiRoutes): void {
  const { api, service } = routes;
  api.get("/audit-log", requireRoles(auditRoles, "the audit log"), async (req, res) => {
    const query = parseInput(auditQuery, req.query, "query");
    const entries = await auditLogEntries(service, { ...query, order: "desc" });
    send(
      res,
      query.format,
      "audit-log",
      ["id", "at", "actor", "action", "entity", "entityId", "before", "after"],
      entries.map((e) => [
        e.id,
        e.at,
        e.actor,
        e.action,
        e.entity,
        e.entityId,
        JSON.stringify(e.before),
        JSON.stringify(e.after),
      ]),
      { entries },
    );
  });

  api.get("/roles", (_req, res) => {
    res.json({ roles });
  });
}

/** Operations: hosts, filesystems, SLA (operationsApi.ts). */
function registerOperationsRoutes({ api, service, options }: ApiRoutes): void {
  api.use(operationsApi(service, options));
}

/** Compliance reports (complianceApi.ts). */
function registerComplianceRoutes({ api, service, options }: ApiRoutes): void {
  api.use(complianceApi(service, options.compliance));
}

/** Patch compliance, BIO2 8.08.01 (patchApi.ts). */
function registerPatchRoutes({ api, service, options }: ApiRoutes): void {
  api.use(patchApi(service, options.compliance));
}

/** The cloud bill beside the chargeback, and the rate proposal (costRoutes.ts). */
function registerCostRoutes({ api, service }: ApiRoutes): void {
  api.use(costApi(service));
}

/** Pricing a licence change before asking for it (licenceWhatIfApi.ts). */
function registerLicenceWhatIfRoutes({ api, service }: ApiRoutes): void {
  api.use(licenceWhatIfApi(service));
}

const amountCell = (euros: string | null) => (euros === null ? null : decimal(euros));

// Amounts as the API writes them, by the one money module.
const centsText = formatEuros;
const microText = formatMicroEuros;
