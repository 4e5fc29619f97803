// What the controller of one department of the hand-computed month must never receive, and how to look
// for it in a response: another department's id (as a JSON value or key, a CSV field, a page link), name,
// cost centre or host, and any amount the manager's view gives another owner or the organisation.
import { parseCsv } from "../../../dashboard/domain/csv.js";
import type { Client } from "./testServer.js";

export const ownDepartment = "burgerzaken";

/** What names each department in a response besides its id; orphan-01 belongs to none (unallocated). */
const markers: Record<string, string[]> = {
  burgerzaken: ["Burgerzaken", "KP-4100", "bz-app-01"],
  belastingen: ["belastingen", "Belastingen", "KP-4200", "bel-app-01"],
  ict: ["Centrale ICT", "KP-9000", "ict-mon-01"],
};

const foreignIdsOf = (own: string): Set<string> => new Set(Object.keys(markers).filter((d) => d !== own));
function foreignTextOf(own: string): RegExp {
  // the names are letters, digits, dashes and spaces: nothing a regular expression would read otherwise
  return new RegExp([...Object.entries(markers).flatMap(([d, m]) => (d === own ? [] : m)), "orphan-01"].join("|"));
}

interface ChargebackDoc {
  departments: Record<string, string>[];
  lines: { owner: string; amount: string }[];
  unallocated: string;
  unrecovered: string;
  total: string;
  breakdown: Record<string, Record<string, string>>;
}

/**
 * The other owners' amounts and the organisation's totals, from the manager's view of `periods`, the
 * licences and the shared-cost items. Small amounts, and amounts the controller's own department also
 * has, can coincide with anything: only distinctive ones are kept.
 */
export async function foreignFigures(
  manager: Client,
  periods: readonly string[],
  own = ownDepartment,
): Promise<string[]> {
  const json = async <T>(path: string): Promise<T> => (await (await manager.get(path)).json()) as T;
  const mine = new Set<string>();
  const others = new Set<string>();
  for (const period of periods) {
    const doc = await json<ChargebackDoc>(`/api/v1/chargeback?period=${period}`);
    const costTypes = ["compute", "storage", "licences", "shared", "adjustments", "total"];
    for (const d of doc.departments) for (const k of costTypes) (d.id === own ? mine : others).add(d[k] ?? "");
    for (const l of doc.lines) (l.owner === own ? mine : others).add(l.amount);
    const remainders = [
      doc.unallocated,
      doc.unrecovered,
      doc.total,
      ...Object.values(doc.breakdown).flatMap((b) => Object.values(b)),
    ];
    for (const v of remainders) others.add(v);
  }
  // the department's own budget figures, as the manager's overview and department list give them
  type Budget = { department: string; actual: string; projected: string; monthlyBudget: string | null };
  const overview = await json<{ budget: Budget[] }>("/api/v1/overview");
  for (const b of overview.budget.filter((x) => x.department === own)) {
    for (const v of [b.actual, b.projected, b.monthlyBudget ?? ""]) mine.add(v);
  }
  const departments = await json<{ departments: { id: string; annualBudget?: string | null }[] }>(
    "/api/v1/departments",
  );
  for (const d of departments.departments.filter((x) => x.id === own)) mine.add(d.annualBudget ?? "");
  for (const p of (await json<{ products: { monthlyCost: string }[] }>("/api/v1/licences")).products)
    others.add(p.monthlyCost);
  for (const i of (await json<{ costItems: { monthly: string }[] }>("/api/v1/cost-items")).costItems)
    others.add(i.monthly);
  return [...others].filter((v) => !mine.has(v) && Math.abs(Number(v)) >= 10);
}

/** An amount's notations: API and CSV ("1000.01"), Dutch CSV ("1000,01"), the pages ("1.000,01", "1,000.01"). */
export function notations(amount: string): string[] {
  const [whole = "", fraction = ""] = amount.replace("-", "").split(".");
  const grouped = (sep: string): string => whole.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
  return [
    ...new Set([
      `${whole}.${fraction}`,
      `${whole},${fraction}`,
      `${grouped(".")},${fraction}`,
      `${grouped(",")}.${fraction}`,
    ]),
  ];
}

/** The numbers written in a text, whole: "€ 1.000,01" gives 1.000,01, and 12000.00 never gives 2000.00. */
const numbersIn = (text: string): string[] => text.match(/\d[\d.,]*\d|\d/g) ?? [];

/** JSON strings and numbers, CSV fields, or the text of anything else: where amounts are written. */
function textsOf(body: string, contentType: string): string[] {
  const strings = (v: unknown): string[] =>
    typeof v === "string" || typeof v === "number"
      ? [String(v)]
      : Array.isArray(v)
        ? v.flatMap(strings)
        : v && typeof v === "object"
          ? Object.values(v).flatMap(strings)
          : [];
  if (contentType.startsWith("application/json")) return strings(JSON.parse(body));
  if (contentType.startsWith("text/csv")) return csvFields(body);
  return [body];
}

function csvFields(body: string): string[] {
  const unmarked = body.replace(/^\uFEFF/, "");
  const separator = unmarked.split("\r\n", 1)[0]?.includes(";") ? ";" : ",";
  return parseCsv(unmarked, separator).flatMap((r) => r.fields);
}

function foreignInJson(foreignIds: Set<string>, value: unknown, path = "$"): string[] {
  if (typeof value === "string") return foreignIds.has(value) ? [`${path} = ${value}`] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => foreignInJson(foreignIds, v, `${path}[${i}]`));
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => [
      ...(foreignIds.has(k) ? [`${path} has key ${k}`] : []),
      ...foreignInJson(foreignIds, v, `${path}.${k}`),
    ]);
  }
  return [];
}

/**
 * Every leak in a response body of `contentType` for the controller of `own`: empty when the body holds
 * only that department's data.
 */
export function leaksIn(body: string, contentType: string, figures: readonly string[], own = ownDepartment): string[] {
  if (contentType.startsWith("application/pdf")) return []; // the same statement as its CSV and JSON forms
  const foreignIds = foreignIdsOf(own);
  const leaks: string[] = [];
  const text = foreignTextOf(own).exec(body);
  if (text) leaks.push(`names ${text[0]}`);
  const numbers = new Set(textsOf(body, contentType).flatMap(numbersIn));
  for (const amount of figures) {
    for (const form of notations(amount)) if (numbers.has(form)) leaks.push(`amount ${amount} as ${form}`);
  }
  if (contentType.startsWith("application/json")) leaks.push(...foreignInJson(foreignIds, JSON.parse(body)));
  else if (contentType.startsWith("text/csv")) {
    leaks.push(
      ...csvFields(body)
        .filter((f) => foreignIds.has(f))
        .map((f) => `CSV field ${f}`),
    );
  } else {
    const link = [...foreignIds].find((d) => new RegExp(`/departments/${d}\\b|>${d}<`).test(body));
    if (link) leaks.push(`a page names ${link}`);
  }
  return leaks;
}
