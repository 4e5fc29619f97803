import { resourcePolicy } from "../policy.js";
import { at } from "../lib/props.js";

export default resourcePolicy({
  name: "keyvault-vault-require-soft-delete",
  displayName: "Key vaults keep deleted secrets (soft delete)",
  description: "Deleted keys, secrets and certificates can be recovered during the retention period.",
  severity: "high",
  enforcementLevel: "advisory",
  bioControls: ["U.04.1", "U.04.2", "U.04.3"],
  bio2Measures: ["8.13.01"],
  bio2Partial: ["8.13.01"],
  isoControls: ["8.13"],
  cisAzure: ["8.5"],
  remediationSteps:
    "Remove `properties.enableSoftDelete: false` (soft delete is on by default and cannot be turned off on " +
    "new vaults).",
  resourceTypes: ["azure-native:keyvault:Vault"],
  validateResource(args, reportViolation) {
    const value = at(args.props, "properties", "enableSoftDelete");
    if (value === false) reportViolation("properties.enableSoftDelete is false; set it to true");
  },
});
