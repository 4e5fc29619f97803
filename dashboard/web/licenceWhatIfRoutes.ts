// The licence what-if page, its own router so the web routes add it in one line: service managers and
// admins for every department, a department controller for their own (app/licenceWhatIf.ts scopes it).
import { Router } from "express";
import { departmentScope, licenceWhatIfRoles } from "../auth/roles.js";
import { principalOf, requireRoles } from "../http/authorize.js";
import type { DashboardService } from "../app/dashboardService.js";
import { licenceWhatIfQuery, licenceWhatIfView } from "../app/licenceWhatIf.js";
import { parseInput } from "../app/validation.js";
import { licenceWhatIfPage } from "./pages/licenceWhatIf.js";

const text = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);

export function licenceWhatIfPageRouter(service: DashboardService): Router {
  const web = Router();
  web.get("/licences/what-if", requireRoles(licenceWhatIfRoles, "licence decisions"), async (req, res) => {
    const principal = principalOf(res);
    const master = await service.masterData();
    const scope = departmentScope(principal);
    const departments = master.departments.map((d) => d.id).filter((id) => !scope || scope.includes(id));
    const products = master.licenceProducts
      .filter((p) => p.licenceType !== "site")
      .map((p) => ({ id: p.id, name: p.name }));
    const q = req.query;
    const chosen = {
      department: text(q.department),
      product: text(q.product),
      seats: text(q.seats),
      months: text(q.months),
      from: text(q.from),
    };
    const asked = chosen.department !== undefined && chosen.product !== undefined && chosen.seats !== undefined;
    const result = asked
      ? licenceWhatIfView(
          master,
          parseInput(
            licenceWhatIfQuery,
            Object.fromEntries(Object.entries(chosen).filter(([, v]) => v !== undefined)),
            "query",
          ),
          principal,
          service.nowMs(),
        )
      : undefined;
    const ctx = {
      lang: res.locals.lang,
      principal: res.locals.principal,
      csrfToken: res.locals.csrfToken,
      path: req.originalUrl,
    };
    res.type("html").send(licenceWhatIfPage(ctx, { departments, products, chosen }, result));
  });
  return web;
}
