// The one CSV writer every export uses (API lists, statements, the journal, the SLA report, master data).
// It is written for the reader that matters most, Excel, where a cell is a formula when it starts with
// = + - @ (or a tab or CR before one), and Dutch Excel splits columns on ";":
// - text is always quoted, and a leading = + - @ \t \r gets a "'" in front (OWASP's CSV-injection rule),
//   so no text can become a formula or a column break, whatever the separator;
// - numbers are written bare: JS numbers and bigints, and decimals wrapped in `decimal("-12.50")`. A
//   bare decimal matches -?digits(.digits)?, which every spreadsheet reads as a number and never as a
//   formula: that is how amounts stay summable. Amounts are written with a decimal point and no thousands
//   separator ("-1234.50"); the Dutch-Excel dialect writes ";" between fields and a decimal comma
//   ("-1234,50") instead, which is what Dutch Excel reads as a number.
// The header row holds our own column names (letters and digits): written as they are.
import { neutralise } from "../../csvCell.js";

// the formula guard is shared with policies/ (csvCell.ts); the dashboard reads it from here
export { neutralise, restoreText } from "../../csvCell.js";

export interface CsvDialect {
  separator: "," | ";";
  decimalMark: "." | ",";
  /** A UTF-8 byte-order mark first: Excel needs it to read UTF-8 (é, €) rather than its ANSI code page. */
  byteOrderMark: boolean;
}

/** RFC 4180: for machines, English-locale spreadsheets and our own `ledger import`. */
export const rfc4180: CsvDialect = { separator: ",", decimalMark: ".", byteOrderMark: false };
/** What Dutch Excel opens as columns and numbers with a double click. */
export const excelNl: CsvDialect = { separator: ";", decimalMark: ",", byteOrderMark: true };

/** A decimal number cell, e.g. an amount in euros: written bare so spreadsheets read a number. */
export class CsvDecimal {
  private constructor(readonly text: string) {}
  static of(text: string): CsvDecimal {
    if (!/^-?\d+(\.\d+)?$/.test(text)) throw new Error(`not a decimal number: ${JSON.stringify(text)}`);
    return new CsvDecimal(text);
  }
}

export const decimal = (text: string): CsvDecimal => CsvDecimal.of(text);

export type CsvCell = string | number | bigint | CsvDecimal | null | undefined;

function cellText(cell: CsvCell, dialect: CsvDialect): string {
  if (cell === null || cell === undefined) return "";
  if (typeof cell === "number") return Number.isFinite(cell) ? number(String(cell), dialect) : "";
  if (typeof cell === "bigint") return cell.toString();
  if (cell instanceof CsvDecimal) return number(cell.text, dialect);
  return `"${neutralise(cell).replace(/"/g, '""')}"`;
}

function number(text: string, dialect: CsvDialect): string {
  // String(1e21) is "1e+21": a spreadsheet reads it, but it is no plain decimal; such values are no amounts
  return dialect.decimalMark === "," ? text.replace(".", ",") : text;
}

function headerText(name: string): string {
  return /^[A-Za-z][A-Za-z0-9_.]*$/.test(name) ? name : `"${neutralise(name).replace(/"/g, '""')}"`;
}

/** A whole CSV document, CRLF line ends, in `dialect` (RFC 4180 by default). */
export function writeCsv(
  header: readonly string[],
  rows: readonly (readonly CsvCell[])[],
  dialect: CsvDialect = rfc4180,
): string {
  const line = (r: readonly CsvCell[]): string => r.map((c) => cellText(c, dialect)).join(dialect.separator);
  const lines = [header.map(headerText).join(dialect.separator), ...rows.map(line)];
  return `${dialect.byteOrderMark ? "\uFEFF" : ""}${lines.join("\r\n")}\r\n`;
}
