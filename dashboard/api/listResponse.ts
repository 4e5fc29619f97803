// A list answers JSON by default, CSV with `?format=csv` (RFC 4180, downloaded as NAME.csv) and CSV for
// Dutch Excel with `?format=csv-nl` (";" between fields, decimal comma, byte-order mark). Both CSV forms
// come from the one writer (domain/csvWriter.ts): text quoted and never a formula, numbers bare.
import type { Response } from "express";
import { excelNl, rfc4180, writeCsv, type CsvCell, type CsvDialect } from "../domain/csvWriter.js";
import type { ListFormat } from "../app/validation.js";

export type Cell = CsvCell | boolean;

const dialects: Record<Exclude<ListFormat, "json">, CsvDialect> = { csv: rfc4180, "csv-nl": excelNl };

/** Send `text` (a CSV document) as the download NAME.csv. */
export function sendCsv(res: Response, name: string, text: string): void {
  res.type("text/csv; charset=utf-8").attachment(`${name}.csv`).send(text);
}

/** The CSV dialect a `format` names. */
export function csvDialect(format: Exclude<ListFormat, "json">): CsvDialect {
  return dialects[format];
}

export function sendList(
  res: Response,
  format: ListFormat,
  name: string,
  header: readonly string[],
  rows: readonly (readonly Cell[])[],
  json: unknown,
): void {
  if (format === "json") {
    res.json(json);
    return;
  }
  const cells = rows.map((r) => r.map((c) => (typeof c === "boolean" ? (c ? "yes" : "no") : c)));
  sendCsv(res, name, writeCsv(header, cells, dialects[format]));
}
