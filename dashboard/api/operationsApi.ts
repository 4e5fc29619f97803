// /api/v1/operations: live status per host (filtered by department, service and environment; a
// controller only ever sees their own departments' hosts), filesystems almost full, and the monthly SLA
// report per service and host (JSON, CSV or PDF). No money: operators use all of it.
import { Router } from "express";
import { z } from "zod";
import { operationsRoles } from "../auth/roles.js";
import { almostFull, almostFullPercent, type HostStatus } from "../domain/operations.js";
import { currentPeriod, previousPeriod } from "../domain/period.js";
import { slaReport, slaReportCsv, slaReportPdf } from "../domain/slaReport.js";
import { principalOf, requireRoles } from "../http/authorize.js";
import type { DashboardService } from "../app/dashboardService.js";
import { hostFilterSchema, statusesOf, visibleHosts } from "../app/hostViews.js";
import { csvDialect, sendCsv, sendList, type Cell } from "./listResponse.js";
import { decimal, type CsvCell } from "../domain/csvWriter.js";
import { formatSchema, listFormats, parseInput, periodSchema } from "../app/validation.js";
import { rolloutsShown, visibleRollouts } from "../app/rolloutHistory.js";
import { rolloutCounts } from "../../contracts/rolloutHistory.js";

const hostsQuery = hostFilterSchema.extend({ period: periodSchema.optional(), format: formatSchema });
const filesystemsQuery = hostFilterSchema.extend({
  minUsedPercent: z.coerce.number().min(0).max(100).default(almostFullPercent),
  format: formatSchema,
});
const slaQuery = z.strictObject({
  period: periodSchema.optional(),
  format: z.enum([...listFormats, "pdf"]).default("json"),
});

const rolloutsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(rolloutsShown),
  format: formatSchema,
});
const rolloutHeader = ["id", "startedAt", "finishedAt", "user", "version", "status", "hosts", "ok", "failed"];
rolloutHeader.push("notStarted", "waves");

const hostHeader = [
  "name",
  "department",
  "service",
  "environment",
  "up",
  "lastScrape",
  "cpuBusyPercent",
  "memoryUsedPercent",
  "fullestMountpoint",
  "fullestUsedPercent",
  "fsUsedBytes",
  "availability",
  "measuredHours",
  "gapHours",
  "slaMet",
];
/** A measured figure ("95.00", a byte count as text) as a number cell; absent when unmeasured. */
const figure = (value: string | null | undefined): CsvCell => (value ? decimal(value) : null);
const hostCells = (h: HostStatus): Cell[] => [
  ...[h.name, h.department, h.service, h.environment, h.up === null ? "" : h.up ? "up" : "down", h.lastScrape],
  ...[figure(h.cpuBusyPercent), figure(h.memoryUsedPercent)],
  ...[h.fullest?.mountpoint, figure(h.fullest?.usedPercent), figure(h.fsUsedBytes)],
  ...[figure(h.availability), h.measuredHours, h.gapHours, h.slaMet],
];

export function operationsApi(service: DashboardService, options: { slaTarget: number }): Router {
  const api = Router();
  api.use("/operations", requireRoles(operationsRoles, "operations"));

  api.get("/operations/hosts", async (req, res) => {
    const query = parseInput(hostsQuery, req.query, "query");
    const period = query.period ?? currentPeriod(service.nowMs());
    const { hosts } = await visibleHosts(service, principalOf(res), query);
    const statuses = await statusesOf(service, hosts, period, options.slaTarget);
    sendList(res, query.format, `hosts-${period}`, hostHeader, statuses.map(hostCells), {
      period,
      slaTarget: options.slaTarget.toFixed(2),
      hosts: statuses,
    });
  });

  api.get("/operations/filesystems", async (req, res) => {
    const query = parseInput(filesystemsQuery, req.query, "query");
    const { hosts } = await visibleHosts(service, principalOf(res), query);
    const full = almostFull(
      await statusesOf(service, hosts, currentPeriod(service.nowMs()), options.slaTarget),
      query.minUsedPercent,
    );
    const rows = full.map((h) => ({
      host: h.name,
      department: h.department,
      service: h.service,
      environment: h.environment,
      mountpoint: h.fullest?.mountpoint ?? "",
      usedPercent: h.fullest?.usedPercent ?? "",
      sizeBytes: h.fullest?.sizeBytes ?? "",
      availBytes: h.fullest?.availBytes ?? "",
      lastScrape: h.lastScrape,
    }));
    const header = ["host", "department", "service", "environment", "mountpoint"];
    header.push("usedPercent", "sizeBytes", "availBytes", "lastScrape");
    const cells = rows.map((r): Cell[] => [
      ...[r.host, r.department, r.service, r.environment, r.mountpoint],
      ...[figure(r.usedPercent), figure(r.sizeBytes), figure(r.availBytes), r.lastScrape],
    ]);
    const json = { minUsedPercent: query.minUsedPercent, filesystems: rows };
    sendList(res, query.format, "filesystems-almost-full", header, cells, json);
  });

  // The rollouts of `muniops agents deploy`, newest first: who, when, version, result per host and wave.
  api.get("/operations/rollouts", async (req, res) => {
    const query = parseInput(rolloutsQuery, req.query, "query");
    const rollouts = await visibleRollouts(service, principalOf(res), query.limit);
    const cells = rollouts.map((r): Cell[] => {
      const counts = rolloutCounts(r);
      return [
        ...[r.id, r.startedAt, r.finishedAt, r.user, r.version, r.status, r.hosts.length],
        ...[counts.ok, counts.failed, counts.notStarted, r.waves.map((w) => `${w.name}: ${w.status}`).join("; ")],
      ];
    });
    sendList(res, query.format, "rollouts", rolloutHeader, cells, { rollouts });
  });

  api.get("/operations/sla", async (req, res) => {
    const query = parseInput(slaQuery, req.query, "query");
    const period = query.period ?? previousPeriod(currentPeriod(service.nowMs()));
    const { hosts } = await visibleHosts(service, principalOf(res));
    const report = slaReport(period, options.slaTarget, await statusesOf(service, hosts, period, options.slaTarget));
    const name = `sla-${period}`;
    if (query.format === "csv" || query.format === "csv-nl") {
      sendCsv(res, name, slaReportCsv(report, csvDialect(query.format)));
    } else if (query.format === "pdf")
      res
        .type("application/pdf")
        .attachment(`${name}.pdf`)
        .send(await slaReportPdf(report));
    else res.json(report);
  });

  return api;
}
