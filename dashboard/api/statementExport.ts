// One department's monthly statement as CSV and PDF: cost centre, lines, totals and the rate versions
// used. Built from the same chargeback document the API serves, so the three forms always agree.
// (The ledger part's exports list this statement; until it exports one, the dashboard renders it here.)
import PDFDocument from "pdfkit";
import { toCsv } from "../domain/csv.js";
import type { ChargebackJson, DepartmentChargeJson } from "../domain/chargeback.js";

export interface DepartmentStatement {
  period: string;
  status: string;
  department: DepartmentChargeJson;
  lines: ChargebackJson["lines"];
  rateVersions: string[];
}

export function departmentStatement(doc: ChargebackJson, department: string): DepartmentStatement | undefined {
  const charge = doc.departments.find((d) => d.id === department);
  if (!charge) return undefined;
  return { period: doc.period, status: doc.status, department: charge, lines: doc.lines.filter((l) => l.owner === department), rateVersions: doc.rateVersions };
}

export function statementCsv(s: DepartmentStatement): string {
  const header = ["period", "department", "costCenter", "costType", "item", "description", "quantity", "unit", "rateVersion", "amountEur"];
  const rows = s.lines.map((l) => [s.period, s.department.id, s.department.costCenter, l.costType, l.item, l.description, l.quantity, l.unit, l.rateVersion ?? "", l.amount]);
  for (const type of ["compute", "storage", "licences", "shared", "adjustments", "total"] as const) {
    rows.push([s.period, s.department.id, s.department.costCenter, "total", type, "", "", "", "", s.department[type]]);
  }
  return toCsv(header, rows);
}

const money = new Intl.NumberFormat("nl-NL", { style: "currency", currency: "EUR" });
const eur = (amount: string): string => money.format(Number(amount));

export function statementPdf(s: DepartmentStatement, organisation = "Centrale ICT"): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const pdf = new PDFDocument({ size: "A4", margin: 50, info: { Title: `ICT-kosten ${s.department.name} ${s.period}`, Author: organisation } });
    const chunks: Buffer[] = [];
    pdf.on("data", (c: Buffer) => {
      chunks.push(c);
    });
    pdf.on("end", () => { resolve(Buffer.concat(chunks)); });
    pdf.on("error", reject);
    pdf.fontSize(16).text(`Doorbelasting ICT-kosten — ${s.period}`);
    pdf.moveDown(0.5).fontSize(11).text(`${s.department.name} (${s.department.id}), kostenplaats ${s.department.costCenter}`);
    pdf.text(`Status: ${s.status}. Tariefversies: ${s.rateVersions.join(", ") || "—"}`);
    pdf.moveDown();
    pdf.fontSize(9);
    for (const l of s.lines) pdf.text(`${l.costType.padEnd(12)} ${l.item} — ${l.description}: ${l.quantity} ${l.unit}${l.rateVersion ? ` @ ${l.rateVersion}` : ""}   ${eur(l.amount)}`);
    pdf.moveDown().fontSize(11);
    for (const [label, key] of [["Rekenkracht", "compute"], ["Opslag", "storage"], ["Licenties", "licences"], ["Gedeelde kosten", "shared"], ["Correcties", "adjustments"], ["Totaal", "total"]] as const) {
      pdf.text(`${label}: ${eur(s.department[key])}`);
    }
    pdf.end();
  });
}
