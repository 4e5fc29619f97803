// The inventory (contracts/inventory.ts) of a stack, from its validated config: every address is static and every
// size comes from the VM size table, so it is complete before anything is deployed, and `muniops plan`
// and the stack output `inventory` give the same document.
import type { StackConfig } from "./config.js";
import { parseInventory, type Inventory } from "../contracts/inventory.js";

export function buildInventory(cfg: StackConfig): Inventory {
  const inventory: Inventory = {
    schemaVersion: 1,
    organization: cfg.organization,
    stack: cfg.stack,
    departments: cfg.departments.map((d) => ({
      id: d.id,
      name: d.name,
      costCenter: d.costCenter,
      headcount: d.headcount,
      annualBudgetEur: d.annualBudgetEur,
    })),
    hosts: cfg.allServers.map((s) => ({
      name: s.name,
      address: s.address,
      agentPort: cfg.agent.port,
      department: s.department,
      service: s.service,
      role: s.role,
      environment: cfg.environment,
      os: s.os,
      vmSize: s.vmSize,
      vcpus: s.vcpus,
      memoryGiB: s.memoryGiB,
      disks: [
        { name: `${s.name}-os`, sizeGiB: s.osDiskGiB, sku: "Premium_LRS" },
        ...s.dataDisks.map((d, lun) => ({ name: `${s.name}-data-${lun}`, sizeGiB: d.sizeGiB, sku: d.sku })),
      ],
    })),
    shares: cfg.allShares.map((s) => ({ name: s.name, department: s.department, quotaGiB: s.quotaGiB, tier: s.tier })),
  };
  // The writer validates too, as every reader does: a broken inventory must never leave the program.
  return parseInventory(inventory, `stack ${cfg.stack}`);
}
