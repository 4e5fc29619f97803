// The demo's master data: departments, hosts and shares from the evaluated stack's inventory, and the
// things a stack doesn't know — two rate-card versions (an indexation on 1 January), licence contracts
// and seat assignments sized by each department's headcount, and the shared costs with their drivers.
// Amounts are plausible for a city of ~125,000 inhabitants; they are examples, not anyone's prices.
import type { Inventory } from "../../contracts/inventory.js";
import { serviceMetrics } from "../../contracts/metrics.js";
import type {
  CostItem,
  LicenceAssignment,
  LicenceContract,
  LicenceProduct,
  MasterData,
  RateVersion,
} from "../domain/records.js";
import { hourKey } from "../domain/period.js";
import { parseCents, parseMicroEuros } from "../domain/money.js";

interface ProductSpec {
  product: LicenceProduct;
  unitPrice: string;
  supplier: string;
  /** Seats per department id; departments missing from the inventory are skipped. */
  seats: (department: { id: string; headcount: number }) => number;
  /** Seats bought beyond those assigned: unrecovered cost the dashboard shows. */
  spare: number;
}

const only = (ids: readonly string[], share: number) => (d: { id: string; headcount: number }) =>
  ids.includes(d.id) ? Math.max(1, Math.round(d.headcount * share)) : 0;

const products: ProductSpec[] = [
  {
    product: { id: "m365-e3", name: "Microsoft 365 E3", licenceType: "per-user" },
    unitPrice: "33.70",
    supplier: "SoftwareONE",
    seats: (d) => d.headcount,
    spare: 60,
  },
  {
    product: { id: "acrobat-pro", name: "Adobe Acrobat Pro", licenceType: "per-user" },
    unitPrice: "18.50",
    supplier: "SoftwareONE",
    seats: (d) => Math.round(d.headcount / 8),
    spare: 15,
  },
  {
    product: { id: "key2-burgerzaken", name: "Centric Key2Burgerzaken", licenceType: "per-user" },
    unitPrice: "41.00",
    supplier: "Centric",
    seats: only(["burgerzaken", "dienstverlening"], 0.6),
    spare: 5,
  },
  {
    product: { id: "belastingen-suite", name: "Centric Belastingen", licenceType: "per-user" },
    unitPrice: "38.00",
    supplier: "Centric",
    seats: only(["belastingen"], 0.9),
    spare: 4,
  },
  {
    product: { id: "suite4sociaal", name: "Suite4Sociaal Domein", licenceType: "per-user" },
    unitPrice: "29.00",
    supplier: "Centric",
    seats: only(["sociaal-domein", "werk-inkomen"], 0.7),
    spare: 10,
  },
  {
    product: { id: "arcgis-pro", name: "Esri ArcGIS Pro", licenceType: "concurrent" },
    unitPrice: "160.00",
    supplier: "Esri Nederland",
    seats: only(["ruimtelijke-ontwikkeling", "openbare-ruimte", "vergunningen"], 0.08),
    spare: 3,
  },
  {
    product: { id: "autocad", name: "Autodesk AutoCAD", licenceType: "per-user" },
    unitPrice: "215.00",
    supplier: "Autodesk",
    seats: only(["ruimtelijke-ontwikkeling", "openbare-ruimte"], 0.1),
    spare: 2,
  },
  {
    product: { id: "corsa-dms", name: "Corsa documentmanagement", licenceType: "per-user" },
    unitPrice: "12.40",
    supplier: "Decos",
    seats: only(["archief", "griffie", "bestuursondersteuning", "juridische-zaken"], 0.8),
    spare: 6,
  },
  {
    product: { id: "sql-server-ent", name: "Microsoft SQL Server Enterprise (2-core pack)", licenceType: "per-core" },
    unitPrice: "285.00",
    supplier: "SoftwareONE",
    seats: only(["ict"], 0.25),
    spare: 4,
  },
];

function rateVersions(historyStartDay: string, indexationDay: string): RateVersion[] {
  const prices = (vcpu: string, memory: string, server: string, share: string) => ({
    "compute.vcpuHour": parseMicroEuros(vcpu, "compute.vcpuHour"),
    "compute.memoryGibHour": parseMicroEuros(memory, "compute.memoryGibHour"),
    "storage.serverGbMonth": parseMicroEuros(server, "storage.serverGbMonth"),
    "storage.shareGbMonth": parseMicroEuros(share, "storage.shareGbMonth"),
  });
  return [
    { validFrom: historyStartDay, note: "tarieven bij start", prices: prices("0.032", "0.0045", "0.11", "0.055") },
    {
      validFrom: indexationDay,
      note: `indexatie ${indexationDay.slice(0, 4)}`,
      prices: prices("0.035", "0.005", "0.12", "0.06"),
    },
  ];
}

function costItems(from: string, departments: ReadonlySet<string>): CostItem[] {
  const item = (
    id: string,
    name: string,
    monthly: string,
    driver: CostItem["driver"],
    percentages: Record<string, number> | null = null,
  ): CostItem => ({
    id,
    name,
    monthlyCents: parseCents(monthly, id),
    driver,
    percentages,
    validFrom: from,
    validTo: null,
  });
  const items = [
    item("hub-network", "Hub-netwerk, firewall en VPN", "9500.00", "headcount"),
    item("managed-services", "Beheerpartner: managed services", "48000.00", "direct-cost"),
    item("workplace", "Werkplekbeheer en servicedesk", "36000.00", "headcount"),
    item("monitoring-backup", "Monitoring, logging en back-up", "4200.00", "even"),
    item("reserve-capacity", "Reservecapaciteit datacenter", "2500.00", "none"),
  ];
  // The digital counter is split by its transactions (the metered driver): the departments whose products
  // citizens complete there, as the fleet simulator's dc-web hosts count them (agents/simulator/digitalCounter.ts).
  const counter = ["burgerzaken", "belastingen", "economie-cultuur"];
  if (counter.every((d) => departments.has(d)))
    items.push({
      ...item("digital-counter", "Digitaal loket (Application Gateway en WAF)", "3100.00", "metered"),
      metric: serviceMetrics.digitalCounterTransactions.name,
    });
  return items;
}

/** Everything the demo ledger starts with, valid from the first hour of its history. */
export function demoMasterData(inventory: Inventory, historyStartMs: number, indexationDay: string): MasterData {
  const from = hourKey(historyStartMs).slice(0, 10);
  const existedFrom = hourKey(historyStartMs);
  const contracts: LicenceContract[] = [];
  const assignments: LicenceAssignment[] = [];
  const usedProducts: LicenceProduct[] = [];
  for (const spec of products) {
    const seats = inventory.departments
      .map((d) => ({ department: d.id, seats: spec.seats(d) }))
      .filter((s) => s.seats > 0);
    if (seats.length === 0) continue;
    usedProducts.push(spec.product);
    const assigned = seats.reduce((sum, s) => sum + s.seats, 0);
    contracts.push({
      id: `c-${spec.product.id}`,
      productId: spec.product.id,
      quantity: assigned + spec.spare,
      unitPriceMicroEur: parseMicroEuros(spec.unitPrice, "unitPrice"),
      startDate: from,
      endDate: null,
      supplier: spec.supplier,
      purchaseOrder: `PO-${from.slice(0, 4)}-${String(contracts.length + 101).padStart(4, "0")}`,
    });
    for (const s of seats)
      assignments.push({
        id: `a-${s.department}-${spec.product.id}`,
        productId: spec.product.id,
        department: s.department,
        seats: s.seats,
        validFrom: from,
        validTo: null,
      });
  }
  return {
    departments: inventory.departments.map((d) => ({
      id: d.id,
      name: d.name,
      costCenter: d.costCenter,
      headcount: d.headcount,
      annualBudgetCents: d.annualBudgetEur === undefined ? null : BigInt(Math.round(d.annualBudgetEur * 100)),
    })),
    hosts: inventory.hosts.map((h) => ({
      name: h.name,
      department: h.department,
      service: h.service,
      environment: h.environment,
      vcpus: h.vcpus,
      memoryMib: Math.round(h.memoryGiB * 1024),
      existedFrom,
      existedTo: null,
    })),
    shares: inventory.shares.map((s) => ({
      name: s.name,
      department: s.department,
      quotaGib: s.quotaGiB,
      tier: s.tier,
      existedFrom,
      existedTo: null,
    })),
    rateVersions: rateVersions(from, indexationDay),
    licenceProducts: usedProducts,
    licenceContracts: contracts,
    licenceAssignments: assignments,
    costItems: costItems(from, new Set(inventory.departments.map((d) => d.id))),
  };
}
