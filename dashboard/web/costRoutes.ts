// The costs page (the cloud bill beside the chargeback), its own router so the web routes add it in one
// line. Every money role reads it; a department controller sees only their departments' lines.
import { Router } from "express";
import { z } from "zod";
import { moneyRoles } from "../auth/roles.js";
import { principalOf, requireRoles } from "../http/authorize.js";
import { costView } from "../app/costViews.js";
import type { DashboardService } from "../app/dashboardService.js";
import { parseInput, periodSchema } from "../app/validation.js";
import { costsPage } from "./pages/costs.js";

const costsQuery = z.strictObject({ period: periodSchema.optional() });

export function costPageRouter(service: DashboardService): Router {
  const web = Router();
  web.get("/costs", requireRoles(moneyRoles, "costs"), async (req, res) => {
    const { period } = parseInput(costsQuery, req.query, "query");
    const view = await costView(service, principalOf(res), period);
    const ctx = {
      lang: res.locals.lang,
      principal: res.locals.principal,
      csrfToken: res.locals.csrfToken,
      path: req.originalUrl,
    };
    res.type("html").send(costsPage(ctx, view));
  });
  return web;
}
