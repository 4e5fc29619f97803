import { resourcePolicy } from "../policy.js";
import { at, shown } from "../lib/props.js";

export default resourcePolicy({
  name: "keyvault-vault-require-purge-protection",
  displayName: "Key vaults are purge-protected",
  description:
    "A deleted vault or secret cannot be purged before its retention ends, not even by an administrator " +
    "(absent counts as off, as in Azure Policy).",
  severity: "critical",
  enforcementLevel: "mandatory",
  bioControls: ["U.04.1", "U.04.2", "U.04.3"],
  bio2Measures: ["8.13.01"],
  bio2Partial: ["8.13.01"],
  isoControls: ["8.13", "8.24"],
  cisAzure: ["8.5"],
  remediationSteps: "Set `properties.enablePurgeProtection: true` (it cannot be turned off again).",
  resourceTypes: ["azure-native:keyvault:Vault"],
  validateResource(args, reportViolation) {
    const value = at(args.props, "properties", "enablePurgeProtection");
    if (value !== true) reportViolation(`properties.enablePurgeProtection is ${shown(value)}; set it to true`);
  },
});
