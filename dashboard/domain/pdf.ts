// Small PDF building blocks (pdfkit) for the dashboard's printable reports: a document collected into
// one Buffer, and table rows over fixed columns that continue on a new page.
import PDFDocument from "pdfkit";

export type Pdf = PDFKit.PDFDocument;

export function renderPdf(title: string, draw: (doc: Pdf) => void): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: "A4", margin: 50, info: { Title: title, Author: "muniops" } });
    const chunks: Buffer[] = [];
    doc.on("data", (c: Buffer) => chunks.push(c));
    doc.on("end", () => {
      resolve(Buffer.concat(chunks));
    });
    doc.on("error", reject);
    draw(doc);
    doc.end();
  });
}

/** One row of cells at the column offsets; `right` lists the columns aligned right (numbers). */
export function pdfRow(
  doc: Pdf,
  columns: readonly number[],
  cells: readonly string[],
  options: { bold?: boolean; right?: readonly number[] } = {},
): void {
  const y = doc.y;
  doc.font(options.bold ? "Helvetica-Bold" : "Helvetica");
  cells.forEach((c, i) =>
    doc.text(c, columns[i] ?? 50, y, {
      width: (columns[i + 1] ?? 545) - (columns[i] ?? 50) - 6,
      align: options.right?.includes(i) ? "right" : "left",
    }),
  );
  doc.moveDown(0.3);
  if (doc.y > 760) doc.addPage();
}
