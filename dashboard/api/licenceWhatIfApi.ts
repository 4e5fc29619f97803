// GET /api/v1/licences/what-if?department=&product=&seats=+5&months=12[&from=YYYY-MM]: what N more (or
// fewer) seats of a product would cost a department per month, priced by the chargeback engine. Service
// managers and admins see central ICT's side too; a department controller only their own charge.
import { Router } from "express";
import { licenceWhatIfRoles } from "../auth/roles.js";
import { principalOf, requireRoles } from "../http/authorize.js";
import type { DashboardService } from "../app/dashboardService.js";
import { licenceWhatIfQuery, licenceWhatIfView } from "../app/licenceWhatIf.js";
import { parseInput } from "../app/validation.js";

export function licenceWhatIfApi(service: DashboardService): Router {
  const api = Router();
  api.get("/licences/what-if", requireRoles(licenceWhatIfRoles, "licence decisions"), async (req, res) => {
    const query = parseInput(licenceWhatIfQuery, req.query, "query");
    res.json(licenceWhatIfView(await service.masterData(), query, principalOf(res), service.nowMs()));
  });
  return api;
}
