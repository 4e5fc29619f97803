// Small inventories for the metering and dashboard tests, in the inventory contract's schema: the test departments
// (the same ids as the hand month) and hosts that differ only where a test cares.
import type { Inventory, InventoryDepartment, InventoryHost, InventoryShare } from "../../../contracts/inventory.js";

export const testDepartments: readonly InventoryDepartment[] = [
  { id: "burgerzaken", name: "Burgerzaken", costCenter: "KP-4100", headcount: 50 },
  { id: "belastingen", name: "Belastingen", costCenter: "KP-4200", headcount: 30 },
  { id: "ict", name: "Centrale ICT", costCenter: "KP-9000", headcount: 20 },
];

/** A Linux app server of `department`; `overrides` sets whatever the test depends on. */
export function testHost(name: string, department: string, overrides: Partial<InventoryHost> = {}): InventoryHost {
  return {
    name,
    address: "127.0.0.1",
    agentPort: 9110,
    department,
    service: "svc",
    role: "app",
    environment: "prod",
    os: "linux",
    vmSize: "Standard_D2s_v5",
    vcpus: 2,
    memoryGiB: 8,
    disks: [],
    ...overrides,
  };
}

export function testInventory(
  stack: string,
  hosts: InventoryHost[],
  options: { departments?: readonly InventoryDepartment[]; shares?: InventoryShare[] } = {},
): Inventory {
  return {
    schemaVersion: 1,
    organization: "Gemeente Test",
    stack,
    departments: [...(options.departments ?? testDepartments)],
    hosts,
    shares: options.shares ?? [],
  };
}
