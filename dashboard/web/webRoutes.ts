// The server-rendered pages and their form posts. Reads go through the same service as the API, and
// every form post through the same commands, so a page can never allow what the API refuses.
import { Router, type Request, type Response } from "express";
import { z } from "zod";
import {
  managerRoles,
  moneyRoles,
  operationsRoles,
  auditRoles,
  complianceRoles,
  complianceWriteRoles,
  departmentScope,
  type Principal,
  type Role,
} from "../auth/roles.js";
import { AppError, forbidden } from "../app/appError.js";
import { assertDepartment } from "../app/departmentAccess.js";
import { principalOf } from "../http/authorize.js";
import {
  addRateVersion,
  closeMonth,
  createAdjustment,
  saveAssignment,
  saveCostItem,
  signStatement,
} from "../app/commands.js";
import type { DashboardService, SerialisedBody } from "../app/dashboardService.js";
import { hostFilterSchema, statusesOf, visibleHosts } from "../app/hostViews.js";
import { runBody, stackSchema } from "../app/requestSchemas.js";
import { maxJsonDepth } from "../http/requestBodyPolicy.js";
import { parseStrictJson } from "../http/strictJson.js";
import { baselines } from "../../policies/baseline.js";
import { auditReportSchema } from "../domain/compliance.js";
import {
  complianceState,
  runAndStoreAudit,
  storeAuditReport,
  type ComplianceSources,
} from "../app/complianceReports.js";
import { almostFull, almostFullPercent, slaByService } from "../domain/operations.js";
import { planForecast } from "../domain/planForecast.js";
import { auditLogEntries, visibleAdjustments } from "../app/ledgerRegisters.js";
import { contractRows, departmentDetail, periodList } from "../app/departmentViews.js";
import { sendPage } from "../http/serialisedResponse.js";
import { departmentIdSchema, parseInput, periodSchema } from "../app/validation.js";
import { currentPeriod, previousPeriod } from "../domain/period.js";
import { t } from "./i18n.js";
import { pageVariant, type PageContext } from "./layout.js";
import { departmentPage } from "./pages/department.js";
import { operationsPage } from "./pages/operations.js";
import { visibleRollouts } from "../app/rolloutHistory.js";
import { overviewPage } from "./pages/overview.js";
import { closePreviewPage, periodsPage } from "./pages/periods.js";
import { auditLogPage, licencesPage, ratesPage, type RatesView } from "./pages/registers.js";
import { licenceWhatIfPageRouter } from "./licenceWhatIfRoutes.js";
import { correctableRateVersion } from "../domain/rateCard.js";
import { compliancePage } from "./pages/compliance.js";
import { patchPageRouter } from "./patchRoutes.js";
import { costPageRouter } from "./costRoutes.js";

const auditLogPageSize = 200;
const auditLogFilter = z.strictObject({
  entity: z
    .string()
    .max(50)
    .regex(/^[a-z_]*$/, "an entity such as rate_version")
    .optional(),
  before: z.coerce.number().int().min(1).optional(),
});

export interface WebOptions {
  slaTarget: number;
  compliance: ComplianceSources;
  inventoryFile?: string | undefined;
}

function pageContext(req: Request, res: Response): PageContext {
  return {
    lang: res.locals.lang,
    principal: res.locals.principal,
    csrfToken: res.locals.csrfToken,
    path: req.originalUrl,
  };
}

function allow(res: Response, roles: readonly Role[], what: string): void {
  if (!roles.includes(principalOf(res).role)) throw forbidden(what);
}

const sendHtml = (res: Response, page: string): void => void res.type("html").send(page);
const doneQuery = z.object({ done: z.string().max(100).optional() }).loose();
const notice = (req: Request, res: Response): string | undefined => {
  const done = doneQuery.safeParse(req.query).data?.done;
  if (done === "saved") return t(res.locals.lang, "saved");
  if (done === "audit") return t(res.locals.lang, "auditSaved");
  return done && periodSchema.safeParse(done).success ? t(res.locals.lang, "closed_ok", { p: done }) : undefined;
};
const yes = (v: unknown): boolean => v === "yes" || v === "on" || v === "true";
const text = (v: unknown): string | undefined => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined);
const form = (req: Request): Record<string, unknown> => (req.body ?? {}) as Record<string, unknown>;
const editQuery = z.object({ edit: z.string().max(64).optional(), rate: z.string().max(10).optional() }).loose();

/**
 * The form's one percentages field, "burgerzaken=60, ict=40" (";" or new lines also separate), into the
 * API's object. A comma followed by a digit is a Dutch decimal comma ("33,5"), not a separator. Anything
 * malformed is passed on as it is, for the command to name.
 */
function parseSplitField(value: unknown): Record<string, string> | undefined {
  const field = text(value);
  if (field === undefined) return undefined;
  const entries = field.split(/\s*(?:[;\n]|,(?=\s*[^\d\s]))\s*/).filter((part) => part !== "");
  return Object.fromEntries(
    entries.map((entry) => {
      const [department = "", percent = ""] = entry.split(/\s*[=:]\s*/);
      return [department, percent.replace(",", ".")];
    }),
  );
}

/** The overview page's bytes for a signed-in user who may see costs (the hot path answers it too: hotRoutes.ts). */
export async function overviewBody(
  service: DashboardService,
  page: PageContext & { principal: Principal },
  inventoryFile: string | undefined,
): Promise<SerialisedBody> {
  const data = await service.overview(page.principal);
  const forecast = planForecast(await service.masterData(), inventoryFile, data.currentPeriod);
  // the forecast follows the inventory file, not the ledger: it is part of the page's variant
  const variant = `${pageVariant(page)}|${forecast ? [...forecast.values()].join(",") : ""}`;
  return service.page(data, variant, () => overviewPage(page, data, forecast));
}

/** What each group of pages registers on and calls. */
interface WebRoutes {
  web: Router;
  service: DashboardService;
  options: WebOptions;
}

/**
 * The page groups, registered in this order (express matches in registration order). A new group is a
 * `register…` function below and one line here.
 */
const pageGroups: ((routes: WebRoutes) => void)[] = [
  registerOverviewPage,
  registerDepartmentPages,
  registerPeriodPages,
  registerLicencePages,
  registerRatePages,
  registerOperationsPage,
  registerCompliancePages,
  registerAuditLogPage,
  registerPatchPage,
  registerCostPage,
  registerLicenceWhatIfPage,
];

/** Pricing a licence change before asking for it (licenceWhatIfRoutes.ts). */
function registerLicenceWhatIfPage({ web, service }: WebRoutes): void {
  web.use(licenceWhatIfPageRouter(service));
}

/** Patch compliance, BIO2 8.08.01 (patchRoutes.ts). */
function registerPatchPage({ web, service, options }: WebRoutes): void {
  web.use(patchPageRouter(service, options.compliance));
}

/** The cloud bill beside the chargeback (costRoutes.ts). */
function registerCostPage({ web, service }: WebRoutes): void {
  web.use(costPageRouter(service));
}

export function webRouter(service: DashboardService, options: WebOptions): Router {
  const web = Router();
  for (const register of pageGroups) register({ web, service, options });
  return web;
}

/** The overview (for those who may see costs; others go to operations). */
function registerOverviewPage({ web, service, options }: WebRoutes): void {
  web.get("/", async (req, res) => {
    const principal = principalOf(res);
    if (!moneyRoles.includes(principal.role)) {
      res.redirect(303, "/operations");
      return;
    }
    sendPage(res, await overviewBody(service, { ...pageContext(req, res), principal }, options.inventoryFile));
  });
}

/** A department's page and its statement sign-off. */
function registerDepartmentPages({ web, service, options }: WebRoutes): void {
  web.get("/departments/:id", async (req, res) => {
    allow(res, moneyRoles, "costs");
    const principal = principalOf(res);
    const id = parseInput(departmentIdSchema, req.params.id, "path");
    const { period } = parseInput(
      z.strictObject({ period: periodSchema.optional(), done: z.string().max(100).optional() }),
      req.query,
      "query",
    );
    assertDepartment(principal, id);
    sendHtml(
      res,
      departmentPage(
        pageContext(req, res),
        await departmentDetail(service, principal, id, period ?? currentPeriod(service.nowMs()), options.slaTarget),
        notice(req, res),
      ),
    );
  });

  web.post("/departments/:id/statement", async (req, res) => {
    const body = form(req);
    const comment = text(body.comment);
    await signStatement(service, principalOf(res), body.period, req.params.id, {
      status: body.status,
      ...(comment ? { comment } : {}),
    });
    res.redirect(303, `/departments/${req.params.id}?period=${String(body.period)}&done=saved`);
  });
}

/** Periods: the list, closing a month, adjustments. */
function registerPeriodPages({ web, service }: WebRoutes): void {
  web.get("/periods", async (req, res) => {
    allow(res, moneyRoles, "costs");
    const principal = principalOf(res);
    const current = currentPeriod(service.nowMs());
    // this month's and last month's adjustments: the months still open to corrections
    const adjustments = await Promise.all(
      [current, previousPeriod(current)].map(async (period) => ({
        period,
        items: await visibleAdjustments(service, principal, period),
      })),
    );
    sendHtml(
      res,
      periodsPage(pageContext(req, res), await periodList(service, principal), notice(req, res), adjustments),
    );
  });

  web.get("/periods/:period/close", async (req, res) => {
    allow(res, managerRoles, "closing a month");
    const period = parseInput(periodSchema, req.params.period, "path");
    sendHtml(res, closePreviewPage(pageContext(req, res), await service.chargeback(principalOf(res), period)));
  });

  web.post("/periods/:period/close", async (req, res) => {
    const body = form(req);
    const result = await closeMonth(service, principalOf(res), req.params.period, {
      confirm: yes(body.confirm),
      acceptGaps: yes(body.acceptGaps),
    });
    res.redirect(303, `/periods?done=${result.period}`);
  });

  web.post("/adjustments", async (req, res) => {
    const body = form(req);
    const refers = text(body.refersToPeriod);
    await createAdjustment(service, principalOf(res), {
      period: text(body.period),
      department: text(body.department),
      amount: text(body.amount)?.replace(",", "."),
      reason: text(body.reason),
      ...(refers ? { refersToPeriod: refers } : {}),
    });
    res.redirect(303, "/periods?done=saved");
  });
}

/** Licences: positions and assignments. */
function registerLicencePages({ web, service }: WebRoutes): void {
  web.get("/licences", async (req, res) => {
    allow(res, moneyRoles, "costs");
    const principal = principalOf(res);
    const day = new Date(service.nowMs()).toISOString().slice(0, 10);
    const contracts = departmentScope(principal) ? undefined : contractRows(await service.licenceContracts());
    const licences = await service.licences(principal, day);
    const assignments = await service.licenceAssignments(principal);
    sendHtml(res, licencesPage(pageContext(req, res), day, licences, assignments, notice(req, res), contracts));
  });

  web.post("/licences/assignments", async (req, res) => {
    const body = form(req);
    await saveAssignment(service, principalOf(res), {
      id: text(body.id),
      productId: text(body.productId),
      department: text(body.department),
      seats: Number(body.seats),
      validFrom: text(body.validFrom),
      validTo: text(body.validTo) ?? null,
    });
    res.redirect(303, "/licences?done=saved");
  });
}

/** Rates and cost items. */
function registerRatePages({ web, service }: WebRoutes): void {
  web.get("/rates", async (req, res) => {
    allow(res, moneyRoles, "costs");
    sendHtml(res, await renderRates(service, req, res, { notice: notice(req, res) }));
  });

  web.post("/rates", async (req, res) => {
    const body = form(req);
    // a blank price is left out: the rate-card rule names it as missing, and the form is shown again
    const priced = Object.entries(body).filter(([k, v]) => k.startsWith("price.") && text(v));
    const prices = Object.fromEntries(priced.map(([k, v]) => [k.slice(6), String(v).trim().replace(",", ".")]));
    const note = text(body.note);
    try {
      const version = { validFrom: text(body.validFrom), prices, ...(note ? { note } : {}) };
      await addRateVersion(service, principalOf(res), version);
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 400 || !error.fields) throw error;
      const typed = Object.entries(body).filter(
        (e): e is [string, string] => e[0] !== "_csrf" && typeof e[1] === "string",
      );
      const errors = Object.fromEntries(
        Object.entries(error.fields).map(([field, why]) => [field.replace(/^body\./, ""), why]),
      );
      const values = Object.fromEntries(typed);
      res.status(400);
      sendHtml(res, await renderRates(service, req, res, { refused: { values, errors } }));
      return;
    }
    res.redirect(303, "/rates?done=saved");
  });

  web.post("/cost-items", async (req, res) => {
    const body = form(req);
    const driver = text(body.driver);
    // the split field may still hold a fixed split after the driver was changed: it only counts for fixed
    const percentages = driver === "fixed" ? parseSplitField(body.percentages) : undefined;
    await saveCostItem(service, principalOf(res), {
      id: text(body.id),
      name: text(body.name),
      monthly: text(body.monthly)?.replace(",", "."),
      driver,
      ...(percentages ? { percentages } : {}),
      validFrom: text(body.validFrom),
      validTo: text(body.validTo) ?? null,
    });
    res.redirect(303, "/rates?done=saved");
  });
}

/** Operations: hosts, almost-full file systems, SLA by service. */
function registerOperationsPage({ web, service, options }: WebRoutes): void {
  web.get("/operations", async (req, res) => {
    allow(res, operationsRoles, "operations");
    const filter = parseInput(hostFilterSchema, req.query, "query");
    const { visible, hosts } = await visibleHosts(service, principalOf(res), filter);
    const period = currentPeriod(service.nowMs());
    const slaPeriod = previousPeriod(period);
    const distinct = (values: (string | null)[]) => [...new Set(values.filter((v): v is string => v !== null))].sort();
    const statuses = await statusesOf(service, hosts, period, options.slaTarget);
    sendHtml(
      res,
      operationsPage(pageContext(req, res), {
        period,
        slaPeriod,
        target: options.slaTarget.toFixed(2),
        almostFullPercent,
        filter: {
          department: filter.department || undefined,
          service: filter.service || undefined,
          environment: filter.environment || undefined,
        },
        options: {
          departments: distinct(visible.map((h) => h.department)),
          services: distinct(visible.map((h) => h.service)),
          environments: distinct(visible.map((h) => h.environment)),
        },
        hosts: statuses,
        almostFull: almostFull(statuses),
        sla: slaByService(await statusesOf(service, hosts, slaPeriod, options.slaTarget), options.slaTarget),
        rollouts: await visibleRollouts(service, principalOf(res)),
      }),
    );
  });
}

/** Compliance: the state, uploading and running audits. */
function registerCompliancePages({ web, service, options }: WebRoutes): void {
  web.get("/compliance", async (req, res) => {
    allow(res, complianceRoles, "compliance");
    const { stack, baseline } = parseInput(
      z.strictObject({
        stack: stackSchema.optional(),
        baseline: z.enum(baselines).optional(),
        done: z.string().max(100).optional(),
      }),
      req.query,
      "query",
    );
    sendHtml(
      res,
      compliancePage(
        pageContext(req, res),
        await complianceState(service.ledger.db, options.compliance, { stack, baseline, now: service.nowMs() }),
        notice(req, res),
      ),
    );
  });

  web.post("/compliance/audits", async (req, res) => {
    allow(res, complianceWriteRoles, "uploading or running audits");
    const { report } = parseInput(
      z.object({ report: z.string().min(1, "choose or paste a report") }),
      form(req),
      "body",
    );
    // as strict as a JSON body (depth, duplicate keys): the form field is the same document
    const json = parseStrictJson(report, { maxDepth: maxJsonDepth, location: "body.report" });
    const parsed = parseInput(auditReportSchema, json, "body");
    await storeAuditReport(service.ledger.db, parsed, {
      actor: principalOf(res).username,
      source: "upload",
      now: service.nowMs(),
    });
    res.redirect(303, `/compliance?stack=${encodeURIComponent(parsed.stack ?? "(unnamed)")}&done=audit`);
  });

  web.post("/compliance/run", async (req, res) => {
    allow(res, complianceWriteRoles, "uploading or running audits");
    const { _csrf: _token, ...rest } = form(req);
    parseInput(runBody, rest, "body");
    const result = await runAndStoreAudit(service.ledger.db, options.compliance, {
      actor: principalOf(res).username,
      now: service.nowMs(),
    });
    res.redirect(303, `/compliance?stack=${encodeURIComponent(result.stack)}&done=audit`);
  });
}

/** The audit log. */
function registerAuditLogPage({ web, service }: WebRoutes): void {
  web.get("/audit-log", async (req, res) => {
    allow(res, auditRoles, "the audit log");
    const filter = parseInput(auditLogFilter, req.query, "query");
    const entries = await auditLogEntries(service, {
      entity: filter.entity || undefined,
      before: filter.before,
      limit: auditLogPageSize,
      order: "desc",
    });
    sendHtml(
      res,
      auditLogPage(pageContext(req, res), entries, { entity: filter.entity || undefined, pageSize: auditLogPageSize }),
    );
  });
}

/** The rates page: rate versions, cost items (or a controller's own share), the item or version being edited. */
async function renderRates(service: DashboardService, req: Request, res: Response, view: RatesView): Promise<string> {
  const versions = await service.rateVersions();
  const items = await service.costItems();
  const { edit, rate } = editQuery.safeParse(req.query).data ?? {};
  const today = new Date(service.nowMs()).toISOString().slice(0, 10);
  const correcting = versions.find((v) => v.validFrom === rate && correctableRateVersion(v, today));
  const editing = items.find((i) => i.id === edit);
  // a controller sees their own share of each item, not the items' totals and splits
  const scope = departmentScope(principalOf(res));
  const own = scope ? { ownCostItems: await service.ownCostItems(scope) } : {};
  const shown = scope ? [] : items;
  return ratesPage(pageContext(req, res), versions, shown, today, { editing, correcting, ...own, ...view });
}
