// The monthly SLA report for the managed-services partner: availability per service and per host against
// the contract's target, as CSV (one table, a `level` column telling services from hosts) and as PDF.
import { decimal, rfc4180, writeCsv, type CsvCell, type CsvDialect } from "./csvWriter.js";
import { pdfRow, renderPdf } from "./pdf.js";
import { slaByService, type HostStatus, type SlaRow } from "./operations.js";

export interface SlaReport {
  period: string;
  target: string;
  services: SlaRow[];
  hosts: Pick<
    HostStatus,
    "name" | "department" | "service" | "environment" | "availability" | "measuredHours" | "gapHours" | "slaMet"
  >[];
  /** Services below the target: what the partner must explain. */
  breaches: number;
}

export function slaReport(period: string, target: number, statuses: readonly HostStatus[]): SlaReport {
  const services = slaByService(statuses, target);
  const hosts = [...statuses]
    .sort((a, b) => (a.service ?? "").localeCompare(b.service ?? "") || a.name.localeCompare(b.name))
    .map((h) => ({
      name: h.name,
      department: h.department,
      service: h.service,
      environment: h.environment,
      availability: h.availability,
      measuredHours: h.measuredHours,
      gapHours: h.gapHours,
      slaMet: h.slaMet,
    }));
  return {
    period,
    target: target.toFixed(2),
    services,
    hosts,
    breaches: services.filter((s) => s.met === false).length,
  };
}

const metText = (met: boolean | null): string => (met === null ? "unmeasured" : met ? "met" : "not met");

const percentCell = (value: string | null): CsvCell => (value === null ? null : decimal(value));

export function slaReportCsv(r: SlaReport, dialect: CsvDialect = rfc4180): string {
  const header = [
    "period",
    "level",
    "service",
    "host",
    "department",
    "environment",
    "availabilityPercent",
    "targetPercent",
    "result",
    "measuredHours",
    "gapHours",
  ];
  const rows = [
    ...r.services.map((s): CsvCell[] => [
      ...[r.period, "service", s.service, "", "", ""],
      ...[percentCell(s.availability), decimal(r.target), metText(s.met), s.measuredHours, s.gapHours],
    ]),
    ...r.hosts.map((h): CsvCell[] => [
      ...[r.period, "host", h.service ?? "", h.name, h.department ?? "", h.environment ?? ""],
      ...[percentCell(h.availability), decimal(r.target), metText(h.slaMet), h.measuredHours, h.gapHours],
    ]),
  ];
  return writeCsv(header, rows, dialect);
}

export function slaReportPdf(r: SlaReport): Promise<Buffer> {
  const columns = [50, 230, 330, 400, 470];
  const right = [1, 2, 3];
  return renderPdf(`SLA report ${r.period}`, (doc) => {
    doc.fontSize(16).text(`SLA report ${r.period}`);
    doc
      .moveDown(0.5)
      .fontSize(11)
      .text(`Availability target ${r.target} % per month. Services below target: ${r.breaches}.`);
    doc
      .fontSize(9)
      .text(
        "Availability = measured up time / measured time; hours without measurements (gaps) are listed, not " +
          "counted. Rounded down.",
      );
    doc.moveDown().fontSize(12).font("Helvetica-Bold").text("Per service", 50);
    doc.fontSize(9);
    pdfRow(doc, columns, ["service", "availability %", "hours measured", "gap hours", "result"], { bold: true, right });
    for (const s of r.services)
      pdfRow(
        doc,
        columns,
        [s.service, s.availability ?? "-", String(s.measuredHours), String(s.gapHours), metText(s.met)],
        { right },
      );
    doc.moveDown().fontSize(12).font("Helvetica-Bold").text("Per host", 50);
    doc.fontSize(9);
    pdfRow(doc, columns, ["host (service)", "availability %", "hours measured", "gap hours", "result"], {
      bold: true,
      right,
    });
    for (const h of r.hosts)
      pdfRow(
        doc,
        columns,
        [
          `${h.name} (${h.service ?? "-"})`,
          h.availability ?? "-",
          String(h.measuredHours),
          String(h.gapHours),
          metText(h.slaMet),
        ],
        { right },
      );
  });
}
