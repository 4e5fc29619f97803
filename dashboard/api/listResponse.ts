// A list answers JSON by default and RFC 4180 CSV with `?format=csv` (downloaded as NAME.csv).
import type { Response } from "express";
import { toCsv } from "../domain/csv.js";

export type Cell = string | number | boolean | null | undefined;

export function sendList(res: Response, format: "json" | "csv", name: string, header: readonly string[], rows: readonly (readonly Cell[])[], json: unknown): void {
  if (format === "csv") {
    res.type("text/csv; charset=utf-8").attachment(`${name}.csv`).send(toCsv(header, rows.map((r) => r.map((c) => (typeof c === "boolean" ? (c ? "yes" : "no") : c)))));
    return;
  }
  res.json(json);
}
