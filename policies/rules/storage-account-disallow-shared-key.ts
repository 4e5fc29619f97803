import { resourcePolicy } from "../policy.js";
import { at, shown } from "../lib/props.js";

export default resourcePolicy({
  name: "storage-account-disallow-shared-key",
  displayName: "Storage accounts accept Entra ID only, no account keys",
  description:
    "Shared key (account key and SAS) access is off, so every data access is tied to an identity and logged.",
  severity: "medium",
  enforcementLevel: "advisory",
  bioControls: ["U.07.3", "U.10.2", "U.10.3", "U.10.5"],
  bio2Measures: ["5.16.02", "8.15.01"],
  bio2Partial: ["5.16.02", "8.15.01"],
  isoControls: ["5.16", "5.17", "8.5", "8.15"],
  cisAzure: ["3.3"],
  remediationSteps:
    "Set `allowSharedKeyAccess: false` and grant identities data-plane roles (e.g. Storage File Data SMB " +
    "Share Contributor).",
  resourceTypes: ["azure-native:storage:StorageAccount"],
  validateResource(args, reportViolation) {
    const value = at(args.props, "allowSharedKeyAccess");
    if (value !== false) reportViolation(`allowSharedKeyAccess is ${shown(value)}; set it to false and use Entra ID`);
  },
});
