// /api/v1/costs: the cloud bill beside the chargeback. The month's reconciliation (JSON or CSV) for every
// money role, scoped to their departments for a department controller; the rate proposal for service
// managers, auditors and admins to read, and for service managers and admins to compute and adopt.
import { Router } from "express";
import { z } from "zod";
import { managerRoles, moneyRoles, organisationMoneyRoles } from "../auth/roles.js";
import { principalOf, requireRoles } from "../http/authorize.js";
import { notFound } from "../app/appError.js";
import { costView } from "../app/costViews.js";
import type { DashboardService } from "../app/dashboardService.js";
import { adoptRateProposal, currentRateProposal, proposeRateCard } from "../app/rateProposals.js";
import { formatSchema, parseInput, periodSchema } from "../app/validation.js";
import { decimal } from "../domain/csvWriter.js";
import { sendList } from "./listResponse.js";

const reconciliationQuery = z.strictObject({ period: periodSchema.optional(), format: formatSchema });
const proposeBody = z.strictObject({
  margin: z
    .string()
    .regex(/^\d{1,3}(\.\d{1,2})?$/, "a percentage like 5 or 2.5")
    .default("0"),
  months: z.number().int().min(1).max(120).default(12),
});
const adoptBody = z.strictObject({ validFrom: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date as YYYY-MM-DD") });

const header = ["period", "department", "known", "effectiveCost", "charged", "difference", "recovery"];

export function costApi(service: DashboardService): Router {
  const api = Router();
  api.get("/costs/reconciliation", requireRoles(moneyRoles, "costs"), async (req, res) => {
    const { period, format } = parseInput(reconciliationQuery, req.query, "query");
    const view = await costView(service, principalOf(res), period);
    const doc = view.reconciliation;
    const rows = doc.departments.map((d) => [
      doc.period,
      d.id,
      d.known,
      decimal(d.effectiveCost),
      decimal(d.charged),
      decimal(d.difference),
      d.recovery === null ? null : decimal(d.recovery),
    ]);
    if (doc.scope === "organisation")
      rows.push([doc.period, "unallocated", null, decimal(doc.unallocated), null, null, null]);
    sendList(res, format, `costs-${doc.period}`, header, rows, doc);
  });
  api.get("/costs/rate-proposal", requireRoles(organisationMoneyRoles, "rate proposals"), async (_req, res) => {
    const proposal = await currentRateProposal(service.ledger);
    if (!proposal) throw notFound("rate proposal");
    res.json(proposal);
  });
  api.post("/costs/rate-proposal", requireRoles(managerRoles, "the ledger"), async (req, res) => {
    const body = parseInput(proposeBody, req.body, "body");
    const proposal = await proposeRateCard(service.ledger, { ...body, actor: principalOf(res).username });
    res.status(201).json(proposal);
  });
  api.post("/costs/rate-proposal/:id/adopt", requireRoles(managerRoles, "the ledger"), async (req, res) => {
    const { validFrom } = parseInput(adoptBody, req.body, "body");
    const today = new Date(service.nowMs()).toISOString().slice(0, 10);
    const changes = await adoptRateProposal(service.ledger, String(req.params.id), validFrom, {
      actor: principalOf(res).username,
      today,
    });
    service.invalidate();
    res.json({ validFrom, changes });
  });
  return api;
}
