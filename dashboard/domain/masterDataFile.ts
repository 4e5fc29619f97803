// The file form of the master data (`muniops ledger import|export`): YAML with one list per kind, or CSV
// with one kind per file. Amounts are decimal euro strings; a price per unit may have up to 6 decimals.
import { isMap, isSeq, stringify, type Node as YamlNode } from "yaml";
import { parseYaml } from "../../yamlFile.js";

/** A master data file may list thousands of hosts: more than the 1 MiB of a config file. */
export const masterDataMaxBytes = 64 * 1024 * 1024;
import { z } from "zod";
import { departmentId, costCenter } from "../../contracts/inventory.js";
import {
  costDrivers,
  licenceTypes,
  type CostItem,
  type Department,
  type Host,
  type LicenceAssignment,
  type LicenceContract,
  type LicenceProduct,
  type MasterData,
  type RateVersion,
  type Share,
} from "./records.js";
import type { EntityKind } from "./records.js";
import { parseCsv } from "./csv.js";
import { decimal, restoreText, writeCsv, type CsvCell } from "./csvWriter.js";
import { formatEuros, formatMicroEuros, parseCents, parseMicroEuros } from "./money.js";
import { rateCardProblems } from "./rateCard.js";
import { isDay } from "./period.js";

const day = z.string().refine(isDay, "a date as YYYY-MM-DD");
const optionalDay = z
  .union([day, z.null()])
  .optional()
  .transform((v) => v ?? null);
const hour = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}$/, "an hour as YYYY-MM-DDTHH (UTC)");
const euros = z
  .union([z.string(), z.number()])
  .transform((v) => String(v))
  .pipe(z.string().regex(/^-?\d+(\.\d{1,2})?$/, "euros with at most 2 decimals, e.g. 1250.00"));
const unitPrice = z
  .union([z.string(), z.number()])
  .transform((v) => String(v))
  .pipe(z.string().regex(/^\d+(\.\d{1,6})?$/, "a non-negative price in euros with at most 6 decimals, e.g. 0.0125"));
const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/, "an id of letters, digits, . _ : -");
const count = z.coerce.number().int().nonnegative();
/** A Prometheus metric name: the counter a metered cost item is split by. */
const metricName = z
  .string()
  .regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, "a Prometheus metric name, e.g. muniops_digital_counter_transactions_total");
// The schemas above have checked the form; the one money module converts.
const micro = (text: string): bigint => parseMicroEuros(text, "price");
const cents = (text: string): bigint => parseCents(text, "amount");

export const fileSchemas = {
  departments: z
    .object({
      id: departmentId,
      name: z.string().min(1),
      costCenter,
      headcount: count,
      annualBudget: z.union([euros, z.null()]).optional(),
    })
    .strict(),
  hosts: z
    .object({
      name: z.string().min(1),
      department: z.union([departmentId, z.null()]).optional(),
      service: z.string().nullish(),
      environment: z.string().nullish(),
      vcpus: z.coerce.number().int().positive(),
      memoryGiB: z.coerce.number().positive(),
      existedFrom: hour,
      existedTo: z.union([hour, z.null()]).optional(),
    })
    .strict(),
  shares: z
    .object({
      name: z.string().min(1),
      department: z.union([departmentId, z.null()]).optional(),
      quotaGiB: z.coerce.number().int().positive(),
      tier: z.string().min(1),
      existedFrom: hour,
      existedTo: z.union([hour, z.null()]).optional(),
    })
    .strict(),
  rateVersions: z
    .object({ validFrom: day, note: z.string().nullish(), prices: z.record(z.string(), unitPrice) })
    .strict()
    // the same completeness rule as the rates form and POST /api/v1/rates
    .superRefine((version, ctx) => {
      for (const p of rateCardProblems(version.prices)) {
        ctx.addIssue({ code: "custom", path: ["prices", p.key], message: p.message });
      }
    }),
  licenceProducts: z.object({ id, name: z.string().min(1), licenceType: z.enum(licenceTypes) }).strict(),
  licenceContracts: z
    .object({
      id,
      product: id,
      quantity: count,
      unitPrice,
      start: day,
      end: optionalDay,
      supplier: z.string().min(1),
      purchaseOrder: z.string().min(1),
    })
    .strict()
    .refine((c) => c.end === null || c.end >= c.start, { error: "end is before start", path: ["end"] }),
  licenceAssignments: z
    .object({ id, product: id, department: departmentId, seats: count, from: day, to: optionalDay })
    .strict()
    .refine((a) => a.to === null || a.to >= a.from, { error: "to is before from", path: ["to"] }),
  costItems: z
    .object({
      id,
      name: z.string().min(1),
      monthly: euros,
      driver: z.enum(costDrivers),
      percentages: z.record(departmentId, z.coerce.number().min(0).max(100)).nullish(),
      from: day,
      to: optionalDay,
      metric: metricName.nullish(),
    })
    .strict()
    .superRefine((item, ctx) => {
      if (item.driver === "metered" && !item.metric)
        ctx.addIssue({
          code: "custom",
          path: ["metric"],
          message:
            "driver metered needs the counter it splits by, with a charge_department label " +
            "(e.g. muniops_digital_counter_transactions_total)",
        });
      else if (item.driver !== "metered" && item.metric)
        ctx.addIssue({
          code: "custom",
          path: ["metric"],
          message: `metric only applies to the metered driver, not ${item.driver}`,
        });
      if (item.driver === "fixed") {
        const p = item.percentages ?? {};
        const basisPoints = Object.values(p).reduce((a, v) => a + Math.round(v * 100), 0);
        if (basisPoints !== 10000)
          ctx.addIssue({
            code: "custom",
            path: ["percentages"],
            message: `fixed percentages must add up to 100, they add up to ${basisPoints / 100}`,
          });
      } else if (item.percentages)
        ctx.addIssue({
          code: "custom",
          path: ["percentages"],
          message: `percentages only apply to the fixed driver, not ${item.driver}`,
        });
    }),
} as const;

/** File key of each kind (YAML list name, CSV --kind). */
export const fileKinds: Record<EntityKind, string> = {
  departments: "departments",
  hosts: "hosts",
  shares: "shares",
  rateVersions: "rateCards",
  licenceProducts: "licenceProducts",
  licenceContracts: "licenceContracts",
  licenceAssignments: "licenceAssignments",
  costItems: "costItems",
};

const toRecord = {
  departments: (d: z.output<typeof fileSchemas.departments>): Department => ({
    id: d.id,
    name: d.name,
    costCenter: d.costCenter,
    headcount: d.headcount,
    annualBudgetCents: d.annualBudget ? cents(d.annualBudget) : null,
  }),
  hosts: (h: z.output<typeof fileSchemas.hosts>): Host => ({
    name: h.name,
    department: h.department ?? null,
    service: h.service ?? null,
    environment: h.environment ?? null,
    vcpus: h.vcpus,
    memoryMib: Math.round(h.memoryGiB * 1024),
    existedFrom: h.existedFrom,
    existedTo: h.existedTo ?? null,
  }),
  shares: (s: z.output<typeof fileSchemas.shares>): Share => ({
    name: s.name,
    department: s.department ?? null,
    quotaGib: s.quotaGiB,
    tier: s.tier,
    existedFrom: s.existedFrom,
    existedTo: s.existedTo ?? null,
  }),
  rateVersions: (v: z.output<typeof fileSchemas.rateVersions>): RateVersion => ({
    validFrom: v.validFrom,
    note: v.note ?? null,
    prices: Object.fromEntries(
      Object.entries(v.prices)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, p]) => [k, micro(p)]),
    ),
  }),
  licenceProducts: (p: z.output<typeof fileSchemas.licenceProducts>): LicenceProduct => ({
    id: p.id,
    name: p.name,
    licenceType: p.licenceType,
  }),
  licenceContracts: (c: z.output<typeof fileSchemas.licenceContracts>): LicenceContract => ({
    id: c.id,
    productId: c.product,
    quantity: c.quantity,
    unitPriceMicroEur: micro(c.unitPrice),
    startDate: c.start,
    endDate: c.end,
    supplier: c.supplier,
    purchaseOrder: c.purchaseOrder,
  }),
  licenceAssignments: (a: z.output<typeof fileSchemas.licenceAssignments>): LicenceAssignment => ({
    id: a.id,
    productId: a.product,
    department: a.department,
    seats: a.seats,
    validFrom: a.from,
    validTo: a.to,
  }),
  costItems: (i: z.output<typeof fileSchemas.costItems>): CostItem => ({
    id: i.id,
    name: i.name,
    monthlyCents: cents(i.monthly),
    driver: i.driver,
    percentages: i.percentages
      ? Object.fromEntries(
          Object.entries(i.percentages)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([k, v]) => [k, Math.round(v * 100)]),
        )
      : null,
    validFrom: i.from,
    validTo: i.to,
    ...(i.metric ? { metric: i.metric } : {}),
  }),
};

/** The file form of a record: what export writes and import reads back. */
export const toFileEntry = {
  departments: (d: Department) => ({
    id: d.id,
    name: d.name,
    costCenter: d.costCenter,
    headcount: d.headcount,
    annualBudget: d.annualBudgetCents === null ? null : formatEuros(d.annualBudgetCents),
  }),
  hosts: (h: Host) => ({
    name: h.name,
    department: h.department,
    service: h.service,
    environment: h.environment,
    vcpus: h.vcpus,
    memoryGiB: h.memoryMib / 1024,
    existedFrom: h.existedFrom,
    existedTo: h.existedTo,
  }),
  shares: (s: Share) => ({
    name: s.name,
    department: s.department,
    quotaGiB: s.quotaGib,
    tier: s.tier,
    existedFrom: s.existedFrom,
    existedTo: s.existedTo,
  }),
  rateVersions: (v: RateVersion) => ({
    validFrom: v.validFrom,
    note: v.note,
    prices: Object.fromEntries(Object.entries(v.prices).map(([k, p]) => [k, formatMicroEuros(p)])),
  }),
  licenceProducts: (p: LicenceProduct) => ({ id: p.id, name: p.name, licenceType: p.licenceType }),
  licenceContracts: (c: LicenceContract) => ({
    id: c.id,
    product: c.productId,
    quantity: c.quantity,
    unitPrice: formatMicroEuros(c.unitPriceMicroEur),
    start: c.startDate,
    end: c.endDate,
    supplier: c.supplier,
    purchaseOrder: c.purchaseOrder,
  }),
  licenceAssignments: (a: LicenceAssignment) => ({
    id: a.id,
    product: a.productId,
    department: a.department,
    seats: a.seats,
    from: a.validFrom,
    to: a.validTo,
  }),
  costItems: (i: CostItem) => ({
    id: i.id,
    name: i.name,
    monthly: formatEuros(i.monthlyCents),
    driver: i.driver,
    percentages: i.percentages ? Object.fromEntries(Object.entries(i.percentages).map(([k, v]) => [k, v / 100])) : null,
    from: i.validFrom,
    to: i.validTo,
    ...(i.metric ? { metric: i.metric } : {}),
  }),
};

export interface FileProblem {
  line: number;
  path: string;
  message: string;
}

export interface ParsedFile {
  records: Partial<MasterData>;
  /** Where each record came from, for reference errors found later. */
  lines: Map<string, number>;
  problems: FileProblem[];
}

function validate(kind: EntityKind, raw: unknown, line: number, path: string, out: ParsedFile): void {
  const schema = fileSchemas[kind] as z.ZodType;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      out.problems.push({ line, path: [path, ...issue.path].join("."), message: issue.message });
    return;
  }
  const record = (toRecord[kind] as (v: unknown) => MasterData[typeof kind][number])(parsed.data);
  const list = (out.records[kind] ??= []) as unknown[];
  list.push(record);
  out.lines.set(`${kind}:${list.length - 1}`, line);
}

export function parseYamlFile(text: string, source = "master data"): ParsedFile {
  const out: ParsedFile = { records: {}, lines: new Map(), problems: [] };
  const { doc, errors, lineOf } = parseYaml(text, source, "master data file", { maxBytes: masterDataMaxBytes });
  for (const e of errors) out.problems.push({ line: e.line, path: "(file)", message: e.message });
  if (out.problems.length > 0 || doc.contents === null) return out;
  if (!isMap(doc.contents))
    return {
      ...out,
      problems: [
        { line: 1, path: "(file)", message: `expected a mapping with lists: ${Object.values(fileKinds).join(", ")}` },
      ],
    };
  const byFileKey = new Map(Object.entries(fileKinds).map(([k, v]) => [v, k as EntityKind]));
  for (const pair of doc.contents.items) {
    const keyNode = pair.key as YamlNode | null;
    const keyValue = (keyNode as { value?: unknown } | null)?.value;
    const key = typeof keyValue === "string" ? keyValue : "";
    const kind = byFileKey.get(key);
    if (!kind) {
      out.problems.push({
        line: lineOf(keyNode),
        path: key,
        message: `unknown list; expected one of ${Object.values(fileKinds).join(", ")}`,
      });
      continue;
    }
    const value = pair.value as YamlNode | null;
    if (!isSeq(value)) {
      out.problems.push({ line: lineOf(keyNode), path: key, message: "expected a list" });
      continue;
    }
    value.items.forEach((item, i) => {
      validate(kind, (item as YamlNode).toJSON(), lineOf(item as YamlNode), `${key}[${i}]`, out);
    });
  }
  return out;
}

/** CSV columns per kind; rate cards are one row per price (validFrom, note, meter, price). */
export const csvColumns: Record<EntityKind, string[]> = {
  departments: ["id", "name", "costCenter", "headcount", "annualBudget"],
  hosts: ["name", "department", "service", "environment", "vcpus", "memoryGiB", "existedFrom", "existedTo"],
  shares: ["name", "department", "quotaGiB", "tier", "existedFrom", "existedTo"],
  rateVersions: ["validFrom", "note", "meter", "price"],
  licenceProducts: ["id", "name", "licenceType"],
  licenceContracts: ["id", "product", "quantity", "unitPrice", "start", "end", "supplier", "purchaseOrder"],
  licenceAssignments: ["id", "product", "department", "seats", "from", "to"],
  costItems: ["id", "name", "monthly", "driver", "percentages", "from", "to", "metric"],
};

export function parseCsvFile(text: string, kind: EntityKind): ParsedFile {
  const out: ParsedFile = { records: {}, lines: new Map(), problems: [] };
  const rows = parseCsv(text);
  const header = rows[0];
  if (!header) return { ...out, problems: [{ line: 1, path: "(file)", message: "empty CSV: expected a header row" }] };
  const expected = csvColumns[kind];
  const unknown = header.fields.filter((f) => !expected.includes(f));
  if (unknown.length > 0)
    return {
      ...out,
      problems: [
        {
          line: 1,
          path: "(header)",
          message: `unknown column(s) ${unknown.join(", ")}; ${fileKinds[kind]} has ${expected.join(", ")}`,
        },
      ],
    };
  const objects = rows.slice(1).map((r) => {
    const entry: Record<string, unknown> = {};
    header.fields.forEach((name, i) => {
      // our export puts a "'" before text that would be a spreadsheet formula: taken off again here
      const v = restoreText(r.fields[i] ?? "");
      if (v !== "") entry[name] = v;
    });
    if (r.fields.length !== header.fields.length)
      out.problems.push({
        line: r.line,
        path: `row`,
        message: `${r.fields.length} fields, the header has ${header.fields.length}`,
      });
    return { line: r.line, entry };
  });
  if (kind === "rateVersions") {
    const versions = new Map<
      string,
      { line: number; entry: { validFrom: unknown; note: unknown; prices: Record<string, unknown> } }
    >();
    for (const { line, entry } of objects) {
      const key = String(entry.validFrom);
      const v = versions.get(key) ?? { line, entry: { validFrom: entry.validFrom, note: entry.note, prices: {} } };
      v.entry.prices[String(entry.meter)] = entry.price;
      versions.set(key, v);
    }
    for (const { line, entry } of versions.values()) validate(kind, entry, line, `line ${line}`, out);
    return out;
  }
  for (const { line, entry } of objects) {
    if (kind === "costItems" && typeof entry.percentages === "string") {
      entry.percentages = Object.fromEntries(
        entry.percentages.split(";").map((p) => p.split(":").map((s) => s.trim()) as [string, string]),
      );
    }
    validate(kind, entry, line, `line ${line}`, out);
  }
  return out;
}

export function toYamlFile(data: MasterData): string {
  const doc: Record<string, unknown[]> = {};
  for (const [kind, fileKey] of Object.entries(fileKinds) as [EntityKind, string][]) {
    doc[fileKey] = (data[kind] as unknown[]).map((r) => (toFileEntry[kind] as (x: unknown) => unknown)(r));
  }
  return stringify(doc, { lineWidth: 0 });
}

/** The columns that hold numbers (counts, amounts, prices): number cells in the CSV, the rest is text. */
const numericColumns = new Set([
  ...["headcount", "annualBudget", "vcpus", "memoryGiB", "quotaGiB"],
  ...["price", "quantity", "unitPrice", "seats", "monthly"],
]);

function csvCell(column: string, value: unknown): CsvCell {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") return value;
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return numericColumns.has(column) && /^-?\d+(\.\d+)?$/.test(text) ? decimal(text) : text;
}

export function toCsvFile(data: MasterData, kind: EntityKind): string {
  const columns = csvColumns[kind];
  const entries = (data[kind] as unknown[]).map((r) =>
    (toFileEntry[kind] as (x: unknown) => Record<string, unknown>)(r),
  );
  const rows: CsvCell[][] = [];
  for (const e of entries) {
    if (kind === "rateVersions") {
      const prices = Object.entries(e.prices as Record<string, string>);
      const [validFrom, note] = [csvCell("validFrom", e.validFrom), csvCell("note", e.note)];
      for (const [meter, price] of prices) rows.push([validFrom, note, meter, decimal(price)]);
    } else if (kind === "costItems") {
      const p = e.percentages as Record<string, number> | null;
      const split = p
        ? Object.entries(p)
            .map(([k, v]) => `${k}:${v}`)
            .join(";")
        : null;
      rows.push(columns.map((c) => (c === "percentages" ? split : csvCell(c, e[c]))));
    } else rows.push(columns.map((c) => csvCell(c, e[c])));
  }
  return writeCsv(columns, rows);
}
