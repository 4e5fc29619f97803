// Defaults of the pack's configurable policies. Operations override them per stack with
// `pulumi preview --policy-pack policies --policy-pack-config FILE`, auditors with
// `muniops audit --policy-config FILE` (the same file format). The pack is self-contained: it does not
// import the stacks' own tables, so a stack cannot loosen the rule that checks it.
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema.js";

/** EU regions only (BIO B.01.3); `global` is where Azure places location-less resources (DNS, Front Door). */
export const defaultAllowedLocations = ["westeurope", "northeurope", "global"];

/** The tags every taggable resource carries, the same ones stacks/tagging.ts puts on them. */
export const defaultRequiredTags = ["department", "costCenter", "environment", "service", "managedBy"];

/** The VM sizes central ICT offers: premium-storage sizes that support encryption at host and trusted launch. */
export const defaultAllowedVmSizes = [
  "Standard_B2s",
  "Standard_B2ms",
  "Standard_B4ms",
  "Standard_D2s_v5",
  "Standard_D4s_v5",
  "Standard_D8s_v5",
  "Standard_D16s_v5",
  "Standard_D2as_v5",
  "Standard_D4as_v5",
  "Standard_E2s_v5",
  "Standard_E4s_v5",
  "Standard_E8s_v5",
  "Standard_E16s_v5",
  "Standard_F4s_v2",
  "Standard_F8s_v2",
];

/** Flow log retention floor in days (Checkov CKV_AZURE_12); BIO2 8.15.04 leaves the period to a risk analysis. */
export const defaultMinRetentionDays = 90;

/**
 * Log Analytics retention floor: six months, because the central workspace holds the logs of privileged
 * tools (Bastion sessions, Run Command, Key Vault and Entra admin activity) and BIO2 8.18.02 keeps those
 * at least six months. Incident-linked logs must be kept three years (5.28.01): archive them separately.
 */
export const defaultMinWorkspaceRetentionDays = 183;

// Department ids: the inventory contract's pattern. A contract between the parts, not one of the stacks'
// tables, so sharing it does not let a stack loosen the rule that checks it.
export { departmentIdPattern } from "../contracts/inventory.js";

export interface DepartmentConfig {
  id: string;
  costCenter?: string;
}

export const departmentsSchema: PolicyConfigJSONSchema = {
  type: "array",
  description: "The departments of the stack configuration (id and cost centre); empty = any well-formed id",
  items: {
    type: "object",
    properties: { id: { type: "string" }, costCenter: { type: "string" } },
    required: ["id"],
  },
  default: [],
};
