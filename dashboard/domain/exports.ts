// Exports for the financial system and the departments: a department's monthly statement (CSV, PDF)
// and the month's journal (CSV: debit the department's cost centre, credit ICT's, per cost type). All
// are built from the chargeback document, so they always agree with the API and with each other.
import PDFDocument from "pdfkit";
import { OperationFailedError, UsageError } from "../../errors.js";
import type { ChargebackJson, DepartmentChargeJson, StatementLineJson } from "./chargeback.js";
import { decimal, rfc4180, writeCsv, type CsvCell, type CsvDialect } from "./csvWriter.js";
import { pdfAnchorKey, pdfAnchorText } from "./statementPdfAnchor.js";
import type { ChainAnchor } from "./records.js";
import { lastDay } from "./period.js";

export interface DepartmentStatement {
  period: string;
  status: string;
  department: DepartmentChargeJson;
  lines: StatementLineJson[];
  rateVersions: string[];
  hash: string | null;
  /** The close's position in the ledger chain, printed on the PDF so the chain can be checked against it. */
  chain: ChainAnchor | null;
  signOff: string | null;
}

export const statementCostTypes = ["compute", "storage", "licences", "shared", "adjustments"] as const;

export function departmentStatement(doc: ChargebackJson, department: string): DepartmentStatement {
  const charge = doc.departments.find((d) => d.id === department);
  if (!charge)
    throw new UsageError(
      `--department "${department}" has no statement in ${doc.period}; departments: ` +
        doc.departments.map((d) => d.id).join(", "),
    );
  // a statement missing unpriced usage would be wrong, not partial: refused until the rate card is repaired
  const unpriced = (doc.errors ?? []).filter((e) => e.owner === department);
  if (unpriced.length > 0) {
    const problems = unpriced.map((e) => e.message).join("; ");
    throw new OperationFailedError(`the statement of "${department}" for ${doc.period} is incomplete: ${problems}`);
  }
  const signOff = doc.signOff?.find((s) => s.department === department);
  return {
    period: doc.period,
    status: doc.status,
    department: charge,
    lines: doc.lines.filter((l) => l.owner === department),
    rateVersions: doc.rateVersions,
    hash: doc.closed?.hash ?? null,
    chain: doc.closed?.chain ?? null,
    signOff: signOff ? signOff.status : null,
  };
}

/** Quantities and amounts are number cells (csvWriter.ts: how Excel reads them); the rest is text. */
export function statementCsv(s: DepartmentStatement, dialect: CsvDialect = rfc4180): string {
  const header = [
    "period",
    "status",
    "department",
    "costCenter",
    "costType",
    "item",
    "description",
    "quantity",
    "unit",
    "rateVersion",
    "amountEur",
  ];
  const base = [s.period, s.status, s.department.id, s.department.costCenter];
  const rows: CsvCell[][] = s.lines.map((l) => [
    ...[...base, l.costType, l.item, l.description],
    ...[decimal(l.quantity), l.unit, l.rateVersion ?? "", decimal(l.amount)],
  ]);
  for (const t of statementCostTypes) {
    rows.push([...base, "subtotal", t, `total ${t}`, null, null, null, decimal(s.department[t])]);
  }
  rows.push([...base, "total", "total", "total", null, null, s.rateVersions.join(" "), decimal(s.department.total)]);
  return writeCsv(header, rows, dialect);
}

export function statementPdf(s: DepartmentStatement): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const info = { Title: `ICT statement ${s.department.name} ${s.period}`, Author: "muniops" };
    const anchor = s.chain ? { [pdfAnchorKey]: pdfAnchorText(s.chain) } : {};
    const doc = new PDFDocument({ size: "A4", margin: 50, info: { ...info, ...anchor } });
    const chunks: Buffer[] = [];
    doc.on("data", (c: Buffer) => chunks.push(c));
    doc.on("end", () => {
      resolve(Buffer.concat(chunks));
    });
    doc.on("error", reject);
    doc.fontSize(16).text(`ICT chargeback statement ${s.period}`);
    doc
      .moveDown(0.5)
      .fontSize(11)
      .text(`${s.department.name} (${s.department.id}), cost centre ${s.department.costCenter}`);
    doc.text(`Status: ${s.status}${s.signOff ? `, ${s.signOff}` : ""}. Amounts in EUR.`);
    if (s.hash) doc.fontSize(8).text(`Closed statement hash (SHA-256 chain): ${s.hash}`);
    if (s.chain) doc.fontSize(8).text(`Ledger chain record ${s.chain.seq}: ${s.chain.hash}`);
    doc.moveDown().fontSize(9);
    const columns = [50, 120, 330, 420, 480];
    const row = (cells: string[], bold = false): void => {
      const y = doc.y;
      doc.font(bold ? "Helvetica-Bold" : "Helvetica");
      cells.forEach((c, i) =>
        doc.text(c, columns[i] ?? 50, y, {
          width: (columns[i + 1] ?? 545) - (columns[i] ?? 50) - 6,
          align: i >= 3 ? "right" : "left",
        }),
      );
      doc.moveDown(0.3);
      if (doc.y > 760) doc.addPage();
    };
    row(["cost type", "description", "quantity", "rates", "amount"], true);
    for (const l of s.lines) row([l.costType, l.description, `${l.quantity} ${l.unit}`, l.rateVersion ?? "", l.amount]);
    doc.moveDown();
    for (const t of statementCostTypes) row([t, "", "", "", s.department[t]], true);
    row(["total", "", "", "", s.department.total], true);
    doc
      .moveDown()
      .font("Helvetica")
      .text(`Rate-card versions used: ${s.rateVersions.join(", ") || "none"}`, 50);
    doc.end();
  });
}

/**
 * One journal line per department and cost type: debit the department's cost centre, credit ICT's.
 * A negative amount (a credit adjustment) swaps the two, so every amount is positive. ICT's own charges
 * and what stays with ICT (unallocated, unrecovered) produce no lines: debit and credit would be the same.
 */
export function journalCsv(doc: ChargebackJson, ictCostCenter?: string, dialect: CsvDialect = rfc4180): string {
  const unpriced = doc.errors ?? [];
  if (unpriced.length > 0) {
    const problems = unpriced.map((e) => e.message).join("; ");
    throw new OperationFailedError(`the journal of ${doc.period} is incomplete: ${problems}`);
  }
  const credit = ictCostCenter ?? doc.departments.find((d) => d.id === "ict")?.costCenter;
  if (!credit) throw new UsageError("no ict department in the ledger: pass --ict-cost-center KP-…");
  const header = [
    "date",
    "period",
    "reference",
    "debitCostCenter",
    "creditCostCenter",
    "costType",
    "department",
    "amountEur",
    "description",
  ];
  const rows: CsvCell[][] = [];
  for (const d of doc.departments) {
    if (d.costCenter === credit) continue;
    for (const t of statementCostTypes) {
      const amount = d[t];
      if (/^-?0\.00$/.test(amount)) continue;
      const negative = amount.startsWith("-");
      const [debit, creditTo] = negative ? [credit, d.costCenter] : [d.costCenter, credit];
      const description = `ICT ${t} ${doc.period} (${doc.status})`;
      const reference = `ICT-${doc.period}-${d.id}-${t}`;
      const magnitude = decimal(amount.replace(/^-/, ""));
      rows.push([lastDay(doc.period), doc.period, reference, debit, creditTo, t, d.id, magnitude, description]);
    }
  }
  return writeCsv(header, rows, dialect);
}
