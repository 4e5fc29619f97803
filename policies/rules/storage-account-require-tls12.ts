import { resourcePolicy } from "../policy.js";
import { at, shown } from "../lib/props.js";

export default resourcePolicy({
  name: "storage-account-require-tls12",
  displayName: "Storage accounts allow only TLS 1.2 or newer",
  description:
    "The minimum TLS version of a storage account is 1.2 (Forum Standaardisatie), so clients cannot " +
    "negotiate TLS 1.0/1.1.",
  severity: "high",
  enforcementLevel: "mandatory",
  bioControls: ["U.05.1"],
  bio2Measures: ["8.24.04", "5.14.01"],
  bio2Partial: ["5.14.01"],
  isoControls: ["5.14", "8.24"],
  cisAzure: ["3.15"],
  remediationSteps: 'Set `minimumTlsVersion: "TLS1_2"`.',
  resourceTypes: ["azure-native:storage:StorageAccount"],
  validateResource(args, reportViolation) {
    const value = at(args.props, "minimumTlsVersion");
    if (value !== "TLS1_2" && value !== "TLS1_3")
      reportViolation(`minimumTlsVersion is ${shown(value)}; set it to "TLS1_2" or newer`);
  },
});
