// A month's cloud bill beside its chargeback: per department and per cost type the actual cost
// (EffectiveCost of the charges incurred that month) against what was charged, the difference and the
// recovery ratio; the unallocated cost; the tag-compliant share of the bill (the FinOps allocation KPI);
// and the invoices billed in that month (BilledCost per InvoiceId), to check against the PDF invoice.
// Pure: the use case (app/billReconcile.ts) reads the groups and the chargeback.
import type { BillGroup } from "./billGroups.js";
import { costTypeOf, type BillCostType } from "./focus.js";
import { billPartsToCents, billToCents, formatEuros, formatRatio, parseCents, type Cents } from "./money.js";

export interface ReconciliationDepartment {
  id: string;
  known: boolean;
  /** "unknown department" when a tag names a department the ledger does not have. */
  flag?: "unknown department";
  effectiveCost: string;
  charged: string;
  /** charged − effectiveCost: positive when the rates recovered more than the bill. */
  difference: string;
  /** charged / effectiveCost, four decimals; null without cost. */
  recovery: string | null;
}

export interface ReconciliationJson {
  period: string;
  currency: string;
  invoices: { id: string; billedCost: string }[];
  /** departments + unallocated, to the cent. */
  total: string;
  unallocated: string;
  departments: ReconciliationDepartment[];
  /** Share of the month's cost allocated by a department tag naming a known department. */
  tagCompliance: string | null;
  costTypes: {
    costType: BillCostType;
    effectiveCost: string;
    charged: string;
    difference: string;
    recovery: string | null;
  }[];
  services: { service: string; category: string; costType: BillCostType; effectiveCost: string }[];
  /** Rows of the month's bill; 0 when no bill covers it. */
  rows: number;
}

export interface ChargedAmounts {
  /** Department id → total charged ("1234.56"). */
  departments: readonly { id: string; total: string }[];
  /** The chargeback's pools ("1234.56"). */
  pools: { compute: string; storage: string; shared: string };
}

function sumBy<K>(groups: readonly BillGroup[], key: (g: BillGroup) => K): Map<K, bigint> {
  const sums = new Map<K, bigint>();
  for (const g of groups) sums.set(key(g), (sums.get(key(g)) ?? 0n) + g.effectiveCost);
  return sums;
}

const recoveryOf = (charged: Cents, cost: Cents): string | null => formatRatio(charged, cost);

export function reconcileBill(
  period: string,
  incurred: readonly BillGroup[],
  billed: readonly BillGroup[],
  charged: ChargedAmounts,
  knownDepartments: ReadonlySet<string>,
): ReconciliationJson {
  const byDepartment = sumBy(incurred, (g) => g.department);
  const chargedBy = new Map(charged.departments.map((d) => [d.id, parseCents(d.total, `charged ${d.id}`)]));
  const ids = [...new Set([...byDepartment.keys(), ...chargedBy.keys()])].filter((id) => id !== "").sort();
  const exact = [...ids.map((id) => byDepartment.get(id) ?? 0n), byDepartment.get("") ?? 0n];
  const cents = billPartsToCents(exact);
  const departments = ids.map((id, i): ReconciliationDepartment => {
    const cost = cents[i] ?? 0n;
    const chargedCents = chargedBy.get(id) ?? 0n;
    const known = knownDepartments.has(id);
    return {
      id,
      known,
      ...(known ? {} : { flag: "unknown department" as const }),
      effectiveCost: formatEuros(cost),
      charged: formatEuros(chargedCents),
      difference: formatEuros(chargedCents - cost),
      recovery: recoveryOf(chargedCents, cost),
    };
  });
  const total = cents.reduce((a, b) => a + b, 0n);
  const tagged = incurred
    .filter((g) => g.method === "tag" && knownDepartments.has(g.department))
    .reduce((a, g) => a + g.effectiveCost, 0n);
  const all = exact.reduce((a, b) => a + b, 0n);
  return {
    period,
    currency: "EUR",
    invoices: invoicesOf(billed),
    total: formatEuros(total),
    unallocated: formatEuros(cents[cents.length - 1] ?? 0n),
    departments,
    tagCompliance: formatRatio(tagged, all),
    costTypes: costTypesOf(incurred, charged),
    services: servicesOf(incurred),
    rows: incurred.reduce((a, g) => a + g.rows, 0),
  };
}

function invoicesOf(billed: readonly BillGroup[]): ReconciliationJson["invoices"] {
  const sums = new Map<string, bigint>();
  for (const g of billed) sums.set(g.invoiceId, (sums.get(g.invoiceId) ?? 0n) + g.billedCost);
  return [...sums.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, amount]) => ({ id, billedCost: formatEuros(billToCents(amount)) }));
}

function costTypesOf(incurred: readonly BillGroup[], charged: ChargedAmounts): ReconciliationJson["costTypes"] {
  const byType = sumBy(incurred, (g) => costTypeOf(g.serviceCategory));
  const types: BillCostType[] = ["compute", "storage", "shared"];
  const cents = billPartsToCents(types.map((t) => byType.get(t) ?? 0n));
  return types.map((costType, i) => {
    const cost = cents[i] ?? 0n;
    const chargedCents = parseCents(charged.pools[costType], `charged ${costType}`);
    return {
      costType,
      effectiveCost: formatEuros(cost),
      charged: formatEuros(chargedCents),
      difference: formatEuros(chargedCents - cost),
      recovery: recoveryOf(chargedCents, cost),
    };
  });
}

function servicesOf(incurred: readonly BillGroup[]): ReconciliationJson["services"] {
  const sums = sumBy(incurred, (g) => `${g.serviceCategory}\u0000${g.serviceName}`);
  const keys = [...sums.keys()].sort();
  const cents = billPartsToCents(keys.map((k) => sums.get(k) ?? 0n));
  return keys.map((key, i) => {
    const [category = "", service = ""] = key.split("\u0000");
    return { service, category, costType: costTypeOf(category), effectiveCost: formatEuros(cents[i] ?? 0n) };
  });
}
