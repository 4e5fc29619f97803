// The streaming CSV splitter of the bill import: any records, written as RFC 4180, cut into chunks at any
// points, come back as they were (fast-check), including quotes, commas and line breaks in fields. A
// record of one empty field is an empty line, skipped (a FOCUS record has dozens of columns).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CsvChunks } from "../../../dashboard/domain/csvChunks.js";

const quote = (cell: string): string => (/[",\r\n]/.test(cell) || cell === "" ? `"${cell.replace(/"/g, '""')}"` : cell);

function split(text: string, cuts: number[]): string[][] {
  const splitter = new CsvChunks();
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const out: string[][] = [];
  let from = 0;
  for (const p of [...points, text.length]) {
    out.push(...splitter.push(text.slice(from, p)));
    from = p;
  }
  return [...out, ...splitter.end()];
}

describe("CsvChunks", () => {
  it("reads records back whatever the chunk boundaries", () => {
    const cell = fc.string({ unit: fc.constantFrom("a", "b", ",", '"', "\n", "\r", " ", "é", "1") });
    const records = fc.array(fc.array(cell, { minLength: 2, maxLength: 5 }), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(records, fc.array(fc.nat(), { maxLength: 6 }), fc.boolean(), (rs, cuts, crlf) => {
        const eol = crlf ? "\r\n" : "\n";
        const text = rs.map((r) => r.map(quote).join(",")).join(eol) + eol;
        expect(split(text, cuts)).toEqual(rs);
      }),
      { numRuns: 500 },
    );
  });

  it("drops a byte-order mark and empty lines, and reads a last line without a line break", () => {
    expect(split('\uFEFFa,b\r\n\r\n"x,y",2', [1, 3, 9])).toEqual([
      ["a", "b"],
      ["x,y", "2"],
    ]);
  });

  it("refuses text after a closing quote and a file ending inside quotes", () => {
    expect(() => split('"a"b,c\n', [])).toThrow('a quoted field is followed by "b" instead of a comma or a line break');
    expect(() => split('a,"open\n', [])).toThrow("the CSV ends inside a quoted field");
  });
});
