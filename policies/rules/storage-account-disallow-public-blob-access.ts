import { resourcePolicy } from "../policy.js";
import { at, shown } from "../lib/props.js";

export default resourcePolicy({
  name: "storage-account-disallow-public-blob-access",
  displayName: "Storage accounts allow no anonymous blob access",
  description:
    "No container of a storage account can be made publicly readable; absent counts as allowed, as in Azure Policy.",
  severity: "critical",
  enforcementLevel: "mandatory",
  bioControls: ["U.07.1"],
  bio2Measures: ["8.03.02", "8.03.01"],
  isoControls: ["5.15", "8.3"],
  cisAzure: ["3.7"],
  remediationSteps: "Set `allowBlobPublicAccess: false`.",
  resourceTypes: ["azure-native:storage:StorageAccount"],
  validateResource(args, reportViolation) {
    const value = at(args.props, "allowBlobPublicAccess");
    if (value !== false) reportViolation(`allowBlobPublicAccess is ${shown(value)}; set it to false`);
  },
});
