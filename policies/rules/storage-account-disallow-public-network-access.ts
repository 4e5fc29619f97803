import { resourcePolicy } from "../policy.js";
import { at, shown } from "../lib/props.js";

export default resourcePolicy({
  name: "storage-account-disallow-public-network-access",
  displayName: "Storage accounts are not reachable from public networks",
  description: "Public network access is disabled; the account is reached over private endpoints.",
  severity: "medium",
  enforcementLevel: "advisory",
  bioControls: ["U.07.1"],
  bio2Measures: ["8.03.01"],
  isoControls: ["8.3", "8.20", "8.22"],
  remediationSteps: 'Set `publicNetworkAccess: "Disabled"` and create a private endpoint for the account.',
  resourceTypes: ["azure-native:storage:StorageAccount"],
  validateResource(args, reportViolation) {
    const value = at(args.props, "publicNetworkAccess");
    if (value !== "Disabled")
      reportViolation(`publicNetworkAccess is ${shown(value)}; set it to "Disabled" and use a private endpoint`);
  },
});
