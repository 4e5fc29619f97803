// The chargeback document of a month: the JSON the CLI, the API and the pages show, shaped from the
// engine's result. Loading a month (open or closed) is the use case in app/chargeback.ts.
import type { ChainAnchor } from "./records.js";
import type { ChargebackLine, ChargebackResult, UnpricedUsage } from "./chargebackEngine.js";
import { formatEuros } from "./money.js";

export interface StatementLineJson {
  owner: string;
  costType: string;
  item: string;
  description: string;
  quantity: string;
  unit: string;
  rateVersion: string | null;
  amount: string;
}

export interface DepartmentChargeJson {
  id: string;
  name: string;
  costCenter: string;
  compute: string;
  storage: string;
  licences: string;
  shared: string;
  adjustments: string;
  total: string;
}

/** The `GET /api/v1/chargeback?period=` document: amounts as euro strings with two decimals. */
export interface ChargebackJson {
  period: string;
  currency: "EUR";
  status: "open" | "closed";
  departments: DepartmentChargeJson[];
  unallocated: string;
  unrecovered: string;
  total: string;
  /** Beyond the minimum: the parts of the two remainders, the pools, and the evidence. */
  breakdown: {
    unallocated: { compute: string; storage: string };
    unrecovered: { licences: string; shared: string; rounding: string };
    pools: { compute: string; storage: string; licences: string; shared: string; adjustments: string; total: string };
  };
  rateVersions: string[];
  gapHours: number;
  /** Host-hours no metering recorded at all; absent from statements closed before it was counted. */
  unmeteredHours?: number;
  lines: StatementLineJson[];
  /** `chain`: the close's record in the ledger chain (ledgerChain.ts), absent only on a ledger never migrated. */
  closed?: { at: string; by: string; hash: string; prevHash: string; chain?: ChainAnchor };
  signOff?: { department: string; status: string; actor: string; at: string; comment: string | null }[];
  /** Usage the rate card has no price for: absent when there is none (a close refuses a month with any). */
  errors?: ChargebackErrorJson[];
}

/** One owner's usage of one meter that no rate-card version prices: an error of its pool, not a charge. */
export interface ChargebackErrorJson {
  pool: "compute" | "storage";
  owner: string;
  item: string;
  rate: string;
  rateVersion: string | null;
  from: string;
  to: string;
  quantity: string;
  unit: string;
  message: string;
}

export function chargebackError(u: UnpricedUsage): ChargebackErrorJson {
  const where =
    u.rateVersion === null
      ? `no rate-card version is valid on ${u.from}`
      : `the rate card of ${u.rateVersion} has no price for ${u.rate}`;
  const what = `${u.quantity} ${u.unit} of ${u.owner} (${u.from} to ${u.to}) are not charged`;
  const repair = `give ${u.rate} a price (Rates page, POST /api/v1/rates or muniops ledger import)`;
  const { owner, rate, rateVersion, from, to, quantity, unit } = u;
  const message = `${where}: ${what}; ${repair}`;
  return { pool: u.costType, owner, item: u.meter, rate, rateVersion, from, to, quantity, unit, message };
}

export function lineJson(l: ChargebackLine): StatementLineJson {
  return {
    owner: l.owner,
    costType: l.costType,
    item: l.item,
    description: l.description,
    quantity: l.quantity,
    unit: l.unit,
    rateVersion: l.rateVersion,
    amount: formatEuros(l.amountCents),
  };
}

/** The JSON form of a computed month; the key order is fixed, because a close hashes this text. */
export function chargebackJson(r: ChargebackResult, status: "open" | "closed"): ChargebackJson {
  const e = formatEuros;
  return {
    period: r.period,
    currency: r.currency,
    status,
    departments: r.departments.map((d) => ({
      id: d.id,
      name: d.name,
      costCenter: d.costCenter,
      compute: e(d.compute),
      storage: e(d.storage),
      licences: e(d.licences),
      shared: e(d.shared),
      adjustments: e(d.adjustments),
      total: e(d.total),
    })),
    unallocated: e(r.unallocated.total),
    unrecovered: e(r.unrecovered.total),
    total: e(r.total),
    breakdown: {
      unallocated: { compute: e(r.unallocated.compute), storage: e(r.unallocated.storage) },
      unrecovered: {
        licences: e(r.unrecovered.licences),
        shared: e(r.unrecovered.shared),
        rounding: e(r.unrecovered.rounding),
      },
      pools: {
        compute: e(r.pools.compute),
        storage: e(r.pools.storage),
        licences: e(r.pools.licences),
        shared: e(r.pools.shared),
        adjustments: e(r.pools.adjustments),
        total: e(r.pools.total),
      },
    },
    rateVersions: r.rateVersionsUsed,
    gapHours: r.gapHours,
    unmeteredHours: r.unmeteredHours,
    lines: [...r.lines].sort(compareLines).map(lineJson),
    // only when there are any: the documents (and the hashes) of complete months stay as they were
    ...(r.unpriced.length > 0 ? { errors: r.unpriced.map(chargebackError) } : {}),
  };
}

function compareLines(a: ChargebackLine, b: ChargebackLine): number {
  return (
    a.owner.localeCompare(b.owner) ||
    a.costType.localeCompare(b.costType) ||
    a.item.localeCompare(b.item) ||
    (a.rateVersion ?? "").localeCompare(b.rateVersion ?? "")
  );
}
