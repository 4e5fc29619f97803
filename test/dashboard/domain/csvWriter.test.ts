// Issue 15, item 4: the one CSV writer. Text never becomes a formula or a column break, with the
// separators Dutch Excel uses (";" between fields, "," in numbers) and RFC 4180's ","; numbers stay
// numbers, negative amounts included.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { parseCsv } from "../../../dashboard/domain/csv.js";
import { decimal, excelNl, neutralise, restoreText, rfc4180, writeCsv } from "../../../dashboard/domain/csvWriter.js";

const hostile = [
  "=cmd|' /C calc'!A0",
  "+1+cmd|' /C calc'!A0",
  "-1+cmd|' /C calc'!A0",
  "-12.50",
  "@SUM(1+1)*cmd|' /C calc'!A0",
  "\t=1+1",
  "\r=1+1",
  "'=already quoted",
  "Burgerzaken; Belastingen",
  "Ruimte, wonen",
  'say "hi"',
  "two\nlines",
];

/** What a spreadsheet would make of a raw field: a formula starts with one of these, after any quote. */
const formulaLike = (raw: string): boolean => /^[=+\-@\t\r]/.test(raw.replace(/^"/, ""));

describe("text cells", () => {
  test.each([
    ["RFC 4180", rfc4180],
    ["Dutch Excel", excelNl],
  ] as const)("%s: quoted, neutralised, columns intact", (_name, dialect) => {
    const csv = writeCsv(
      ["id", "text", "amount"],
      hostile.map((text, i) => [i, text, decimal("-12.50")]),
      dialect,
    );
    const rows = parseCsv(csv.replace(/^\uFEFF/, ""), dialect.separator);
    expect(rows).toHaveLength(hostile.length + 1);
    rows.slice(1).forEach((row, i) => {
      expect(row.fields, hostile[i]).toHaveLength(3);
      expect(row.fields[1], hostile[i]).toBe(neutralise(hostile[i]!));
      expect(formulaLike(row.fields[1]!), hostile[i]).toBe(false);
      expect(restoreText(row.fields[1]!)).toBe(hostile[i]);
    });
    // every raw text field is quoted: no separator inside text can split a column
    for (const line of csv.split("\r\n").slice(1, -1)) expect(line).toMatch(/^\d+[;,]"/);
  });

  test("neutralise and restoreText are exact inverses, for any text", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("'", "=", "+", "-", "@", "\t", "\r", "a", "1", ";") }), (text) => {
        expect(restoreText(neutralise(text))).toBe(text);
        expect(formulaLike(neutralise(text))).toBe(false);
      }),
    );
  });
});

describe("number cells", () => {
  test("amounts are bare numbers: a point and no thousands separator, or a decimal comma for Dutch Excel", () => {
    const rows = [[decimal("-12.50"), decimal("1234567.89"), 42, 3n, null]];
    expect(writeCsv(["a", "b", "c", "d", "e"], rows)).toBe("a,b,c,d,e\r\n-12.50,1234567.89,42,3,\r\n");
    expect(writeCsv(["a", "b", "c", "d", "e"], rows, excelNl)).toBe("\uFEFFa;b;c;d;e\r\n-12,50;1234567,89;42;3;\r\n");
  });

  test("only plain decimals are number cells: anything else must be text", () => {
    for (const text of ["-1+1", "1e5", "12,50", "=1", " 1", ""])
      expect(() => decimal(text), text).toThrow(/not a decimal number/);
  });
});
