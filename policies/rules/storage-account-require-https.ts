import { resourcePolicy } from "../policy.js";
import { at, shown } from "../lib/props.js";

export default resourcePolicy({
  name: "storage-account-require-https",
  displayName: "Storage accounts accept HTTPS only",
  description: "Secure transfer: storage accounts refuse plain-HTTP and unencrypted SMB requests.",
  severity: "critical",
  enforcementLevel: "mandatory",
  bioControls: ["U.05.1", "U.11.1", "U.11.2", "B.09.1"],
  bio2Measures: ["8.21.04", "5.14.01"],
  bio2Partial: ["5.14.01"],
  isoControls: ["5.14", "8.24", "8.21"],
  cisAzure: ["3.1"],
  remediationSteps: "Set `enableHttpsTrafficOnly: true`.",
  resourceTypes: ["azure-native:storage:StorageAccount"],
  validateResource(args, reportViolation) {
    const value = at(args.props, "enableHttpsTrafficOnly");
    // Azure has defaulted to true since API 2019-04-01, but an explicit value is what an auditor can see.
    if (value !== true) reportViolation(`enableHttpsTrafficOnly is ${shown(value)}; set it to true`);
  },
});
