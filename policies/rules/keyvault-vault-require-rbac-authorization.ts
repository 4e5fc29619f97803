import { resourcePolicy } from "../policy.js";
import { at, shown } from "../lib/props.js";

export default resourcePolicy({
  name: "keyvault-vault-require-rbac-authorization",
  displayName: "Key vaults use Azure RBAC, not access policies",
  description:
    "Data-plane permissions are granted with Azure RBAC roles (formal, reviewable) rather than vault access policies.",
  severity: "medium",
  enforcementLevel: "advisory",
  bioControls: ["U.10.2", "U.10.5"],
  bio2Measures: ["5.18.02", "8.02.01"],
  bio2Partial: ["5.18.02", "8.02.01"],
  isoControls: ["5.15", "5.18", "8.2"],
  cisAzure: ["8.6"],
  remediationSteps: "Set `properties.enableRbacAuthorization: true` and replace access policies with role assignments.",
  resourceTypes: ["azure-native:keyvault:Vault"],
  validateResource(args, reportViolation) {
    const value = at(args.props, "properties", "enableRbacAuthorization");
    if (value !== true)
      reportViolation(`properties.enableRbacAuthorization is ${shown(value)}; set it to true and use role assignments`);
  },
});
