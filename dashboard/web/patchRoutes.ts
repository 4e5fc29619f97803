// The patch compliance page (BIO2 8.08.01), its own router so the web routes add it in one line. Read by
// operators, service managers, auditors and admins; a department controller sees only their departments.
import { Router } from "express";
import { patchRoles } from "../auth/roles.js";
import { principalOf, requireRoles } from "../http/authorize.js";
import { patchFilterSchema, patchView } from "../app/patchViews.js";
import type { DashboardService } from "../app/dashboardService.js";
import { parseInput } from "../app/validation.js";
import { patchesPage } from "./pages/patches.js";

export function patchPageRouter(service: DashboardService, options: { waiversFile: string }): Router {
  const web = Router();
  web.get("/patches", requireRoles(patchRoles, "patch compliance"), async (req, res) => {
    const { department } = parseInput(patchFilterSchema, req.query, "query");
    const view = await patchView(service.ledger.db, principalOf(res), {
      waiversFile: options.waiversFile,
      now: service.nowMs(),
      department,
    });
    const ctx = {
      lang: res.locals.lang,
      principal: res.locals.principal,
      csrfToken: res.locals.csrfToken,
      path: req.originalUrl,
    };
    res.type("html").send(patchesPage(ctx, view));
  });
  return web;
}
