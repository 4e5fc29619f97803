// The one guard against CSV formula injection (OWASP "CSV injection"), for every CSV muniops writes: the
// dashboard's exports (dashboard/domain/csvWriter.ts) and the policies' register of processing
// (policies/vvt/excelCsv.ts). A spreadsheet runs a cell that starts with = + - @, a tab or a CR as a formula.
const formulaStart = /^'*[=+\-@\t\r]/;

/**
 * Text as a spreadsheet must see it: a "'" before a leading formula character. Also before any run of
 * "'" that precedes one, so `restoreText` can undo exactly this and nothing else.
 */
export function neutralise(text: string): string {
  return formulaStart.test(text) ? `'${text}` : text;
}

/** The inverse of `neutralise`, for reading our own CSV back (`ledger import` of a `ledger export`). */
export function restoreText(text: string): string {
  return /^'+[=+\-@\t\r]/.test(text) ? text.slice(1) : text;
}
