// Request input through zod: a failure becomes one 400 AppError listing every field and what is wrong.
import { z } from "zod";
import { departmentIdPattern } from "../../contracts/inventory.js";
import { invalidInput, type FieldErrors } from "./appError.js";

export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  location: "query" | "body" | "path",
): z.output<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const fields: FieldErrors = {};
  for (const issue of result.error.issues) {
    const path = [location, ...issue.path.map(String)].join(".");
    (fields[path] ??= []).push(issue.message);
  }
  throw invalidInput(fields);
}

export const periodSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "a month as YYYY-MM, e.g. 2026-10");
export const departmentIdSchema = z
  .string()
  .regex(departmentIdPattern, "a department id: lowercase letters, digits and dashes");
/** 2026-02-30 matches the pattern but is no date; anything unparsable is simply "not a date" (never a throw). */
function isCalendarDay(text: string): boolean {
  const time = Date.parse(`${text}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().startsWith(text);
}

export const daySchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, "a date as YYYY-MM-DD")
  .refine(isCalendarDay, "not a calendar date");
export const euroAmountSchema = z.string().regex(/^-?\d{1,12}(\.\d{1,2})?$/, "an amount in euros like 12.50");
export const rateAmountSchema = z
  .string()
  .regex(/^\d{1,9}(\.\d{1,6})?$/, "a rate in euros with at most 6 decimals, like 0.0125");
/** json, csv (RFC 4180) or csv-nl (CSV for Dutch Excel: ";" between fields, decimal comma). */
export const listFormats = ["json", "csv", "csv-nl"] as const;
export type ListFormat = (typeof listFormats)[number];
export const formatSchema = z.enum(listFormats).default("json");
