// /api/v1/compliance: the latest audit per stack with its BIO coverage matrix, the stored audits, the
// waivers with their expiry; auditors and admins upload a `muniops audit --format json` report or have
// the server audit its configured preview file.
import { Router, type RequestHandler } from "express";
import { z } from "zod";
import { baselines } from "../../policies/baseline.js";
import { complianceRoles, complianceWriteRoles } from "../auth/roles.js";
import { auditReportSchema } from "../domain/compliance.js";
import {
  complianceState,
  currentWaivers,
  evidenceDossierZip,
  listAuditReports,
  runAndStoreAudit,
  storeAuditReport,
  type ComplianceSources,
} from "../app/complianceReports.js";
import { principalOf, requireRoles } from "../http/authorize.js";
import type { DashboardService } from "../app/dashboardService.js";
import { sendList } from "./listResponse.js";
import { formatSchema, parseInput } from "../app/validation.js";
import { runBody, stackSchema } from "../app/requestSchemas.js";

/** Audit reports are far larger than any form: their upload routes, exactly these paths, get this body limit. */
export const auditUploadLimit = 8 * 1024 * 1024;
export const auditUploadPaths = ["/api/v1/compliance/audits", "/compliance/audits"];

const baselineSchema = z.enum(baselines).optional();
const stateQuery = z.strictObject({ stack: stackSchema.optional(), baseline: baselineSchema });
const listQuery = z.strictObject({ stack: stackSchema.optional(), baseline: baselineSchema, format: formatSchema });
const formatQuery = z.strictObject({ format: formatSchema });
const evidenceQuery = z.strictObject({
  year: z
    .string()
    .regex(/^\d{4}$/, "a year such as 2026")
    .transform(Number),
  stack: stackSchema.optional(),
});

/** What every group of compliance routes registers on and with. */
interface ComplianceRoutes {
  api: Router;
  service: DashboardService;
  sources: ComplianceSources;
  read: RequestHandler;
  write: RequestHandler;
}

export function complianceApi(service: DashboardService, sources: ComplianceSources): Router {
  const read = requireRoles(complianceRoles, "compliance");
  const write = requireRoles(complianceWriteRoles, "uploading or running audits");
  const routes: ComplianceRoutes = { api: Router(), service, sources, read, write };
  for (const register of complianceRouteGroups) register(routes);
  return routes.api;
}

/** The latest audit of a stack and the stored audits. */
function registerStateRoutes({ api, service, sources, read }: ComplianceRoutes): void {
  api.get("/compliance", read, async (req, res) => {
    const { stack, baseline } = parseInput(stateQuery, req.query, "query");
    res.json(await complianceState(service.ledger.db, sources, { stack, baseline, now: service.nowMs() }));
  });

  api.get("/compliance/audits", read, async (req, res) => {
    const { format } = parseInput(formatQuery, req.query, "query");
    const audits = await listAuditReports(service.ledger.db);
    sendList(
      res,
      format,
      "audits",
      [
        "id",
        "stack",
        "generatedAt",
        "receivedAt",
        "receivedFrom",
        "source",
        "passed",
        "resources",
        "mandatoryFailures",
        "advisoryFailures",
        "waived",
      ],
      audits.map((a) => [
        a.id,
        a.stack,
        a.generatedAt,
        a.receivedAt,
        a.receivedFrom,
        a.source,
        a.passed ? "yes" : "no",
        a.resources,
        a.mandatoryFailures,
        a.advisoryFailures,
        a.waived,
      ]),
      { audits },
    );
  });
}

/** Storing an uploaded audit report, or auditing the configured preview now. */
function registerAuditWriteRoutes({ api, service, sources, write }: ComplianceRoutes): void {
  // The upload answers only its exact path (no other letter case, no trailing slash): the same path the
  // body reader gives the large limit to (requestBodyPolicy.ts).
  const upload = Router({ caseSensitive: true, strict: true });
  upload.post("/compliance/audits", write, async (req, res) => {
    const report = parseInput(auditReportSchema, req.body, "body");
    const by = { actor: principalOf(res).username, source: "upload" as const, now: service.nowMs() };
    const { id, summary } = await storeAuditReport(service.ledger.db, report, by);
    res.status(201).json({ id, stack: report.stack ?? null, summary });
  });
  api.use(upload);

  api.post("/compliance/run", write, async (req, res) => {
    parseInput(runBody, req.body, "body");
    res
      .status(201)
      .json(
        await runAndStoreAudit(service.ledger.db, sources, { actor: principalOf(res).username, now: service.nowMs() }),
      );
  });
}

/** The coverage matrix, the yearly evidence dossier and the waivers. */
function registerCoverageRoutes({ api, service, sources, read }: ComplianceRoutes): void {
  api.get("/compliance/coverage", read, async (req, res) => {
    const { stack, baseline, format } = parseInput(listQuery, req.query, "query");
    const state = await complianceState(service.ledger.db, sources, { stack, baseline, now: service.nowMs() });
    sendList(
      res,
      format,
      `${state.baseline === "bio2" ? "bio2" : "bio"}-coverage-${state.stack ?? "none"}`,
      ["stack", "baseline", "control", "isoControl", "state", "pass", "fail", "waived", "policies", "gap"],
      state.coverage.map((c) => [
        state.stack ?? "",
        state.baseline,
        c.control,
        c.isoControl ?? "",
        c.state,
        c.pass,
        c.fail,
        c.waived,
        c.policies.map((p) => p.policyId).join(" "),
        c.gap ?? "",
      ]),
      { stack: state.stack ?? null, baseline: state.baseline, coverage: state.coverage },
    );
  });

  // The yearly ENSIA dossier as a zip: its manifest.sha256 lets the auditor check every file after unzipping.
  api.get("/compliance/evidence", read, async (req, res) => {
    const { year, stack } = parseInput(evidenceQuery, req.query, "query");
    const { fileName, zip } = await evidenceDossierZip(service.ledger.db, sources, {
      year,
      stack,
      now: service.nowMs(),
    });
    res
      .type("application/zip")
      .attachment(fileName)
      .send(Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength));
  });

  api.get("/compliance/waivers", read, (req, res) => {
    const { format } = parseInput(formatQuery, req.query, "query");
    const waivers = currentWaivers(sources, service.nowMs());
    sendList(
      res,
      format,
      "waivers",
      ["id", "state", "expiresOn", "daysLeft", "category", "policies", "riskOwner", "approvedBy", "ticket", "problems"],
      waivers.map((w) => [
        w.id,
        w.state,
        w.expiresOn,
        w.daysLeft,
        w.category,
        w.policies.join(" "),
        w.riskOwner,
        w.approvedBy,
        w.ticket,
        w.problems.join("; "),
      ]),
      { waivers },
    );
  });
}

/** The route groups in registration order: adding a group is one function and one entry here. */
const complianceRouteGroups: ((routes: ComplianceRoutes) => void)[] = [
  registerStateRoutes,
  registerAuditWriteRoutes,
  registerCoverageRoutes,
];
