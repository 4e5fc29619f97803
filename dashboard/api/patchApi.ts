// /api/v1/patches: patch compliance (BIO2 8.08.01) per server, per department and overall, from the latest
// daily patch snapshot and the waivers as of today; JSON, or the server list as CSV. Operators, service
// managers, auditors and admins see every server; a department controller only their departments'.
import { Router } from "express";
import { patchRoles } from "../auth/roles.js";
import { principalOf, requireRoles } from "../http/authorize.js";
import { patchFilterSchema, patchView } from "../app/patchViews.js";
import type { ComplianceSources } from "../app/complianceReports.js";
import type { DashboardService } from "../app/dashboardService.js";
import { formatSchema, parseInput } from "../app/validation.js";
import { sendList } from "./listResponse.js";

const patchQuery = patchFilterSchema.extend({ format: formatSchema });

const header = [
  "host",
  "department",
  "verdict",
  "securityPending",
  "securityPendingDays",
  "otherPending",
  "rebootRequired",
  "rebootPendingDays",
  "waiver",
  "riskAnalysis",
  "waiverExpiresOn",
  "readAt",
];

export function patchApi(service: DashboardService, sources: Pick<ComplianceSources, "waiversFile">): Router {
  const api = Router();
  api.get("/patches", requireRoles(patchRoles, "patch compliance"), async (req, res) => {
    const { department, format } = parseInput(patchQuery, req.query, "query");
    const view = await patchView(service.ledger.db, principalOf(res), {
      waiversFile: sources.waiversFile,
      now: service.nowMs(),
      department,
    });
    sendList(
      res,
      format,
      `patches-${view.day}`,
      header,
      view.hosts.map((h) => [
        ...[h.host, h.department, h.verdict, h.securityPending, h.securityPendingDays, h.otherPending],
        ...[h.rebootRequired === null ? null : h.rebootRequired, h.rebootPendingDays],
        ...[h.mitigation?.waiverId ?? null, h.mitigation?.riskAnalysis ?? null, h.mitigation?.expiresOn ?? null, h.at],
      ]),
      view,
    );
  });
  return api;
}
