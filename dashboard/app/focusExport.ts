// `muniops costs export`: a month's chargeback (frozen if closed, computed if open) as a FOCUS 1.2 CSV.
// Which adjustment lines correct an earlier month is read from the adjustments themselves, so a closed
// month's frozen statement exports the same way as an open one.
import type { Ledger } from "../data-access/database.js";
import { loadPricingData } from "../data-access/masterData.js";
import { adjustmentsFor } from "../data-access/periods.js";
import { writeCsv, decimal, type CsvCell } from "../domain/csvWriter.js";
import { focusColumns, focusRows, type FocusRow } from "../domain/focusExport.js";
import { chargeback } from "./chargeback.js";

/** Central ICT's department id: its name is the provider and invoice issuer of the export. */
const ictDepartment = "ict";

export async function focusExport(
  ledger: Ledger,
  period: string,
  now = Date.now(),
): Promise<{ rows: FocusRow[]; errors: string[] }> {
  const pricing = await loadPricingData(ledger.db);
  const [statement, adjustments] = await Promise.all([
    chargeback(ledger, period, pricing, now),
    adjustmentsFor(ledger.db, period),
  ]);
  const corrections = new Map(
    adjustments.flatMap((a) => (a.refersToPeriod ? [[`adjustment-${a.id}`, a.refersToPeriod] as const] : [])),
  );
  const issuer = pricing.departments.find((d) => d.id === ictDepartment)?.name ?? "Central ICT";
  const rows = focusRows({ statement, issuer, corrections });
  return { rows, errors: (statement.errors ?? []).map((e) => e.message) };
}

/** The rows as RFC 4180 CSV: decimals bare, text quoted, null as an empty cell. */
export function focusCsv(rows: readonly FocusRow[]): string {
  const cell = (value: FocusRow[keyof FocusRow]): CsvCell =>
    value === null ? null : "decimal" in value ? decimal(value.decimal) : value.text;
  return writeCsv(
    focusColumns,
    rows.map((row) => focusColumns.map((column) => cell(row[column]))),
  );
}
