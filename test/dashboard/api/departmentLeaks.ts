// What a department controller of burgerzaken must never receive, and how to look for it in a response:
// another department's id (as a JSON value or key, a CSV field, a page link), name, cost centre or host,
// and any amount the manager's view gives another owner or the organisation as a whole.
import { parseCsv } from "../../../dashboard/domain/csv.js";
import type { Client } from "./testServer.js";

export const ownDepartment = "burgerzaken";
const foreignIds = new Set(["belastingen", "ict"]);
const foreignText = /belastingen|Belastingen|Centrale ICT|KP-4200|KP-9000|bel-app-01|ict-mon-01|orphan-01/;

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
export async function foreignFigures(manager: Client, periods: readonly string[]): Promise<string[]> {
  const json = async <T>(path: string): Promise<T> => (await (await manager.get(path)).json()) as T;
  const mine = new Set<string>();
  const others = new Set<string>();
  for (const period of periods) {
    const doc = await json<ChargebackDoc>(`/api/v1/chargeback?period=${period}`);
    const costTypes = ["compute", "storage", "licences", "shared", "adjustments", "total"];
    for (const d of doc.departments)
      for (const k of costTypes) (d.id === ownDepartment ? mine : others).add(d[k] ?? "");
    for (const l of doc.lines) (l.owner === ownDepartment ? mine : others).add(l.amount);
    const remainders = [
      doc.unallocated,
      doc.unrecovered,
      doc.total,
      ...Object.values(doc.breakdown).flatMap((b) => Object.values(b)),
    ];
    for (const v of remainders) others.add(v);
  }
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

function foreignInJson(value: unknown, path = "$"): string[] {
  if (typeof value === "string") return foreignIds.has(value) ? [`${path} = ${value}`] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => foreignInJson(v, `${path}[${i}]`));
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => [
      ...(foreignIds.has(k) ? [`${path} has key ${k}`] : []),
      ...foreignInJson(v, `${path}.${k}`),
    ]);
  }
  return [];
}

/** Every leak in a response body of `contentType`: empty when the body holds only the controller's own data. */
export function leaksIn(body: string, contentType: string, figures: readonly string[]): string[] {
  if (contentType.startsWith("application/pdf")) return []; // the same statement as its CSV and JSON forms
  const leaks: string[] = [];
  const text = foreignText.exec(body);
  if (text) leaks.push(`names ${text[0]}`);
  for (const amount of figures)
    for (const form of notations(amount)) if (body.includes(form)) leaks.push(`amount ${amount} as ${form}`);
  if (contentType.startsWith("application/json")) leaks.push(...foreignInJson(JSON.parse(body)));
  else if (contentType.startsWith("text/csv")) {
    const unmarked = body.replace(/^\uFEFF/, "");
    const separator = unmarked.split("\r\n", 1)[0]?.includes(";") ? ";" : ",";
    leaks.push(
      ...parseCsv(unmarked, separator).flatMap((r) =>
        r.fields.filter((f) => foreignIds.has(f)).map((f) => `CSV field ${f}`),
      ),
    );
  } else if (/\/departments\/ict\b|>ict</.test(body)) leaks.push("a page names ict");
  return leaks;
}
