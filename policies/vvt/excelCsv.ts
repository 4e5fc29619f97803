// CSV that Excel opens safely and correctly in a Dutch locale: `;` as separator (Dutch Excel's list
// separator), a UTF-8 byte-order mark (or Excel reads ë as two characters), CRLF line ends, every text
// field quoted, and a cell that Excel would run as a formula (leading = + - @ tab or CR: CSV injection,
// OWASP) neutralised with a leading apostrophe by the guard the dashboard's CSV writer uses too (csvCell.ts).
import { neutralise } from "../../csvCell.js";

export const excelSeparator = ";";

type Cell = string | number | boolean | null;

export function excelCell(value: Cell): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  const text = String(value);
  return `"${neutralise(text).replace(/"/g, '""')}"`;
}

export function excelCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const lines = [header, ...rows].map((row) => row.map(excelCell).join(excelSeparator));
  return "\uFEFF" + lines.join("\r\n") + "\r\n";
}
