// The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json. Request bodies come from the
// same zod schemas the handlers validate with, so the document cannot drift from what is enforced.
import { z } from "zod";
import { packageVersion } from "../../packageInfo.js";
import {
  adjustmentBody,
  assignmentBody,
  closeBody,
  costItemBody,
  rateVersionBody,
  signOffBody,
} from "../app/requestSchemas.js";
import { auditReportSchema } from "../domain/compliance.js";
import { runBody } from "../app/requestSchemas.js";

type Json = Record<string, unknown>;

/** Usage the rate card has no price for: left out of the amounts, reported per owner, pool and meter. */
const unpricedErrors = {
  type: "array",
  description:
    "only when a rate-card version misses a meter's price: that usage, not charged; a close refuses the month",
  items: {
    type: "object",
    required: ["pool", "owner", "item", "rate", "rateVersion", "from", "to", "quantity", "unit", "message"],
    properties: {
      pool: { enum: ["compute", "storage"] },
      owner: { type: "string", description: "a department id or unallocated" },
      item: { type: "string", description: "the meter" },
      rate: { type: "string", description: "the rate-card key without a price" },
      rateVersion: { type: ["string", "null"], description: "the version in effect; null when none is" },
      from: { type: "string", format: "date" },
      to: { type: "string", format: "date" },
      quantity: { type: "string" },
      unit: { type: "string" },
      message: { type: "string" },
    },
  },
};

/** How both CSV forms write text and numbers (dashboard/domain/csvWriter.ts). */
const csvFormats =
  'csv: RFC 4180 ("," between fields, decimal point); csv-nl: for Dutch Excel (";" between fields, decimal comma, ' +
  'UTF-8 byte-order mark). Text is always quoted and a leading = + - @ tab or CR gets a "\'" in front, so no value ' +
  "becomes a formula; amounts and counts are bare numbers.";
const money = { type: "string", pattern: "^-?\\d+\\.\\d{2}$", description: "euros with two decimals" };
const error = { $ref: "#/components/schemas/Error" };
const csvList = {
  name: "format",
  in: "query",
  required: false,
  schema: { type: "string", enum: ["json", "csv", "csv-nl"], default: "json" },
  description: csvFormats,
};
const period = (required: boolean): Json => ({
  name: "period",
  in: "query",
  required,
  schema: { type: "string", pattern: "^\\d{4}-(0[1-9]|1[0-2])$" },
  description: "month as YYYY-MM",
});

/** Standard responses; `csv: true` on the schema marks a list that also answers text/csv. */
function responses(ok: Json, roles: string, extra: Record<string, string> = {}): Json {
  const { csv, ...schema } = ok;
  return {
    200: {
      description: "OK",
      content: {
        "application/json": { schema },
        ...(csv === true ? { "text/csv": { schema: { type: "string" } } } : {}),
      },
    },
    400: { description: "invalid input: field errors", content: { "application/json": { schema: error } } },
    401: { description: "not logged in", content: { "application/json": { schema: error } } },
    403: {
      description: `role not allowed (allowed: ${roles}), or another department's data`,
      content: { "application/json": { schema: error } },
    },
    ...Object.fromEntries(
      Object.entries(extra).map(([code, description]) => [
        code,
        { description, content: { "application/json": { schema: error } } },
      ]),
    ),
  };
}

const body = (schema: z.ZodType): Json => ({
  required: true,
  content: { "application/json": { schema: z.toJSONSchema(schema, { io: "input" }) } },
});
const csrf = {
  name: "X-CSRF-Token",
  in: "header",
  required: true,
  schema: { type: "string" },
  description: "the session's CSRF token (GET /api/v1/me)",
};
const anyObject = { type: "object" };
/** Master-data writes the ledger refuses when they would change a closed month (PeriodClosedError). */
const closedMonth = { 409: "the change would alter a closed month" };
const hostFilter: Json[] = ["department", "service", "environment"].map((name) => ({
  name,
  in: "query",
  required: false,
  schema: { type: "string" },
}));
const stack: Json = {
  name: "stack",
  in: "query",
  required: false,
  schema: { type: "string" },
  description: "a stack with a stored audit (default: the first by name)",
};

// Who may call an operation, as the document states it per path.
const all = "every role";
const moneyRoles = "admin, service-manager, department-controller (own departments), auditor";
const managers = "admin, service-manager";
const compliance = "admin, service-manager, operator, auditor";
const complianceWriters = "admin, auditor";

export function openApiDocument(): Json {
  return {
    openapi: "3.1.0",
    info: {
      title: "muniops dashboard API",
      version: packageVersion(),
      description:
        "Chargeback, licences, operations and audit data of central ICT. Authenticate with the session " +
        "cookie from POST /login; state-changing requests need the X-CSRF-Token header.",
    },
    servers: [{ url: "/api/v1" }],
    components: {
      securitySchemes: { session: { type: "apiKey", in: "cookie", name: "muniops_session" } },
      schemas: componentSchemas(),
    },
    security: [{ session: [] }],
    paths: pathGroups.reduce<Json>((paths, group) => ({ ...paths, ...group() }), {}),
  };
}

/** The schemas the paths refer to by $ref. */
function componentSchemas(): Json {
  return {
    Error: {
      type: "object",
      required: ["error", "message"],
      properties: {
        error: { type: "string" },
        message: { type: "string" },
        fields: { type: "object", additionalProperties: { type: "array", items: { type: "string" } } },
      },
    },
    DepartmentCharge: {
      type: "object",
      required: ["id", "name", "costCenter", "compute", "storage", "licences", "shared", "adjustments", "total"],
      properties: {
        id: { type: "string" },
        name: { type: "string" },
        costCenter: { type: "string" },
        compute: money,
        storage: money,
        licences: money,
        shared: money,
        adjustments: money,
        total: money,
      },
    },
    Chargeback: {
      type: "object",
      required: ["period", "currency", "status", "scope", "departments", "total"],
      properties: {
        period: { type: "string" },
        currency: { const: "EUR" },
        status: { enum: ["open", "closed"] },
        scope: {
          enum: ["all", "departments"],
          description: "departments: a controller's view, without the organisation-wide remainders",
        },
        departments: { type: "array", items: { $ref: "#/components/schemas/DepartmentCharge" } },
        unallocated: money,
        unrecovered: money,
        total: money,
        errors: unpricedErrors,
      },
    },
  };
}

/** Paths of the session: who is logged in. */
function sessionPaths(): Json {
  return {
    "/me": { get: { summary: "the logged-in user and the CSRF token", responses: responses(anyObject, all) } },
  };
}

/** Paths of the overview page's figures. */
function overviewPaths(): Json {
  return {
    "/overview": {
      get: {
        summary:
          "the overview: this month and the last closed one, 12-month trend, forecast (the inventory " +
          "priced at the rate card; null without one) vs actual vs budget, largest changes",
        responses: responses(anyObject, moneyRoles),
      },
    },
  };
}

/** Paths of departments, one department and its statement. */
function departmentPaths(): Json {
  return {
    "/departments": {
      get: {
        summary: "departments (a controller sees their own; operators see no budgets)",
        parameters: [csvList],
        responses: responses({ ...anyObject, csv: true }, all),
      },
    },
    "/departments/{id}": {
      get: {
        summary: "one department: costs by type, hosts, shares, licences, statement status",
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }, period(false)],
        responses: responses(anyObject, moneyRoles, { 404: "no such department" }),
      },
    },
    "/departments/{id}/statement": {
      get: {
        summary: "the department's monthly statement",
        parameters: [
          { name: "id", in: "path", required: true, schema: { type: "string" } },
          period(true),
          {
            name: "format",
            in: "query",
            schema: { enum: ["json", "csv", "csv-nl", "pdf"] },
            description: csvFormats,
          },
        ],
        responses: {
          ...responses(anyObject, moneyRoles, { 404: "no statement" }),
          200: {
            description: "OK",
            content: {
              "application/json": { schema: anyObject },
              "text/csv": { schema: { type: "string" } },
              "application/pdf": { schema: { type: "string", contentMediaType: "application/pdf" } },
            },
          },
        },
      },
    },
  };
}

/** Paths of the chargeback of a month. */
function chargebackPaths(): Json {
  return {
    "/chargeback": {
      get: {
        summary: "the chargeback of a month",
        parameters: [period(true), csvList],
        responses: responses({ $ref: "#/components/schemas/Chargeback", csv: true }, moneyRoles),
      },
    },
  };
}

/** Paths of months: their status, closing one, signing off statements. */
function periodPaths(): Json {
  return {
    "/periods": {
      get: {
        summary: "months with their status and sign-offs",
        parameters: [csvList],
        responses: responses({ ...anyObject, csv: true }, moneyRoles),
      },
    },
    "/periods/{period}/close": {
      post: {
        summary: "close a month (irreversible)",
        parameters: [{ name: "period", in: "path", required: true, schema: { type: "string" } }, csrf],
        requestBody: body(closeBody),
        responses: { ...responses(anyObject, managers), 201: { description: "closed" } },
      },
    },
    "/periods/{period}/statements/{department}": {
      post: {
        summary: "sign off or dispute a closed month's statement",
        parameters: [
          { name: "period", in: "path", required: true, schema: { type: "string" } },
          { name: "department", in: "path", required: true, schema: { type: "string" } },
          csrf,
        ],
        requestBody: body(signOffBody),
        responses: responses(anyObject, "admin, department-controller (own departments)"),
      },
    },
  };
}

/** Paths of adjustment lines. */
function adjustmentPaths(): Json {
  return {
    "/adjustments": {
      get: {
        summary: "adjustment lines of a month",
        parameters: [period(false), csvList],
        responses: responses({ ...anyObject, csv: true }, moneyRoles),
      },
      post: {
        summary: "add an adjustment in an open month",
        parameters: [csrf],
        requestBody: body(adjustmentBody),
        responses: { ...responses(anyObject, managers), 201: { description: "created" } },
      },
    },
  };
}

/** Paths of licence products, contracts and seat assignments. */
function licencePaths(): Json {
  return {
    "/licences": {
      get: {
        summary:
          "licence products: purchased, assigned, free, cost, per department; a controller gets only their " +
          "own departments' seats and charge (scope: departments)",
        parameters: [{ name: "day", in: "query", schema: { type: "string", format: "date" } }, csvList],
        responses: responses({ ...anyObject, csv: true }, moneyRoles),
      },
    },
    "/licences/contracts": {
      get: {
        summary: "licence contracts: product, quantity, price per seat per month, term, supplier, purchase order",
        parameters: [csvList],
        responses: responses({ ...anyObject, csv: true }, "admin, service-manager, auditor"),
      },
    },
    "/licences/assignments": {
      post: {
        summary: "create or change a seat assignment",
        parameters: [csrf],
        requestBody: body(assignmentBody),
        responses: { ...responses(anyObject, managers, closedMonth), 201: { description: "saved" } },
      },
    },
  };
}

/** Paths of rate-card versions. */
function ratePaths(): Json {
  return {
    "/rates": {
      get: {
        summary: "rate-card versions",
        parameters: [csvList],
        responses: responses({ ...anyObject, csv: true }, moneyRoles),
      },
      post: {
        summary:
          "add a rate-card version with its effective date, pricing every meter (400 naming each missing " +
          "or unknown " +
          "one); a version not yet in effect, or one missing prices, is corrected by posting it again " +
          "under its date",
        parameters: [csrf],
        requestBody: body(rateVersionBody),
        responses: { ...responses(anyObject, managers, closedMonth), 201: { description: "created" } },
      },
    },
  };
}

/** Paths of shared-cost items. */
function costItemPaths(): Json {
  return {
    "/cost-items": {
      get: {
        summary:
          "shared-cost items and their drivers; a controller gets only their own departments' split and " +
          "charge this month, not the items' totals (scope: departments)",
        parameters: [csvList],
        responses: responses({ ...anyObject, csv: true }, moneyRoles),
      },
      post: {
        summary:
          "create or change a shared-cost item (by id); percentages (department → percent, summing to 100) " +
          "only for the driver fixed",
        parameters: [csrf],
        requestBody: body(costItemBody),
        responses: { ...responses(anyObject, managers, closedMonth), 201: { description: "saved" } },
      },
    },
  };
}

/** Paths of operations: hosts, filesystems, rollouts, the SLA report. */
function operationsPaths(): Json {
  return {
    "/operations/hosts": {
      get: {
        summary:
          "live status per host (up, CPU busy, memory used, fullest filesystem, last scrape) and " +
          "availability this month against the SLA target",
        parameters: [...hostFilter, period(false), csvList],
        responses: responses({ ...anyObject, csv: true }, all),
      },
    },
    "/operations/filesystems": {
      get: {
        summary: "hosts whose fullest filesystem is almost full, fullest first",
        parameters: [
          ...hostFilter,
          { name: "minUsedPercent", in: "query", schema: { type: "number", minimum: 0, maximum: 100, default: 90 } },
          csvList,
        ],
        responses: responses({ ...anyObject, csv: true }, all),
      },
    },
    "/operations/rollouts": {
      get: {
        summary:
          "the rollouts of muniops agents deploy, newest first: who, when, version, status, every host's " +
          "result and the waves (a controller sees only their departments' hosts)",
        parameters: [
          { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 1000, default: 20 } },
          csvList,
        ],
        responses: responses({ ...anyObject, csv: true }, all),
      },
    },
    "/operations/sla": {
      get: {
        summary:
          "the monthly SLA report: availability per service and per host against the target (default: last month)",
        parameters: [
          period(false),
          {
            name: "format",
            in: "query",
            schema: { enum: ["json", "csv", "csv-nl", "pdf"], default: "json" },
            description: csvFormats,
          },
        ],
        responses: {
          ...responses(anyObject, all),
          200: {
            description: "OK",
            content: {
              "application/json": { schema: anyObject },
              "text/csv": { schema: { type: "string" } },
              "application/pdf": { schema: { type: "string", contentMediaType: "application/pdf" } },
            },
          },
        },
      },
    },
  };
}

/** Paths of patch compliance. */
function patchPaths(): Json {
  return {
    "/patches": {
      get: {
        summary:
          "patch compliance (BIO2 8.08.01): per server, per department and overall, the latest daily patch " +
          "snapshot against the 7-day rule for security updates, waivers with a risk analysis as mitigation, " +
          "the reboot backlog; department controllers see their own departments only",
        parameters: [hostFilter[0] as Json, csvList],
        responses: responses({ ...anyObject, csv: true }, all),
      },
    },
  };
}

/** Paths of compliance: audits, coverage, waivers. */
function compliancePaths(): Json {
  return {
    "/compliance": {
      get: {
        summary:
          "latest audit per stack, the BIO coverage matrix and open findings of one stack, the waivers " +
          "with their expiry",
        parameters: [stack],
        responses: responses(anyObject, compliance, { 400: "no audit of that stack" }),
      },
    },
    "/compliance/audits": {
      get: {
        summary: "stored audit reports, newest first",
        parameters: [csvList],
        responses: responses({ ...anyObject, csv: true }, compliance),
      },
      post: {
        summary: "store a `muniops audit --format json` report (at most 8 MB)",
        parameters: [csrf],
        requestBody: body(auditReportSchema),
        responses: {
          ...responses(anyObject, complianceWriters, { 413: "report larger than 8 MB" }),
          201: { description: "stored" },
        },
      },
    },
    "/compliance/run": {
      post: {
        summary: "audit the server's configured preview file (--audit-preview) now and store the report",
        parameters: [csrf],
        requestBody: body(runBody),
        responses: { ...responses(anyObject, complianceWriters), 201: { description: "audited and stored" } },
      },
    },
    "/compliance/coverage": {
      get: {
        summary: "the BIO coverage matrix of a stack's latest audit: every control, its checks, pass/fail/waived",
        parameters: [stack, csvList],
        responses: responses({ ...anyObject, csv: true }, compliance),
      },
    },
    "/compliance/waivers": {
      get: {
        summary: "waivers with their expiry (expired, expiring within 30 days, valid, invalid)",
        parameters: [csvList],
        responses: responses({ ...anyObject, csv: true }, compliance),
      },
    },
  };
}

/** Paths of the audit log. */
function auditLogPaths(): Json {
  return {
    "/audit-log": {
      get: {
        summary: "the audit log, newest first",
        parameters: [
          { name: "entity", in: "query", schema: { type: "string" } },
          { name: "limit", in: "query", schema: { type: "integer", maximum: 10000 } },
          { name: "before", in: "query", schema: { type: "integer" } },
          csvList,
        ],
        responses: responses({ ...anyObject, csv: true }, "admin, auditor"),
      },
    },
  };
}

/** Paths of the roles and this document. */
function metaPaths(): Json {
  return {
    "/roles": { get: { summary: "the roles", responses: responses(anyObject, all) } },
    "/openapi.json": {
      get: { summary: "this document", security: [], responses: { 200: { description: "OpenAPI 3.1" } } },
    },
  };
}

/** The path groups in the document's order: adding a group is one function and one entry here. */
const pathGroups: (() => Json)[] = [
  sessionPaths,
  overviewPaths,
  departmentPaths,
  chargebackPaths,
  periodPaths,
  adjustmentPaths,
  licencePaths,
  ratePaths,
  costItemPaths,
  operationsPaths,
  patchPaths,
  compliancePaths,
  auditLogPaths,
  metaPaths,
];
