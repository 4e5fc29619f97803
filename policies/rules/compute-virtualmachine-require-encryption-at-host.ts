import { resourcePolicy } from "../policy.js";
import { at, shown } from "../lib/props.js";

export default resourcePolicy({
  name: "compute-virtualmachine-require-encryption-at-host",
  displayName: "Virtual machines encrypt at host",
  description:
    "Temporary disks, caches and data flows to storage are encrypted on the VM host, so no VM data is stored " +
    "unencrypted.",
  severity: "high",
  enforcementLevel: "mandatory",
  bioControls: ["U.05.2", "U.11.3"],
  bio2Measures: [],
  isoControls: ["8.24"],
  cisAzure: ["7.5"],
  remediationSteps:
    "Set `securityProfile.encryptionAtHost: true` (the subscription needs the EncryptionAtHost feature registered).",
  resourceTypes: ["azure-native:compute:VirtualMachine"],
  validateResource(args, reportViolation) {
    const value = at(args.props, "securityProfile", "encryptionAtHost");
    if (value !== true) reportViolation(`securityProfile.encryptionAtHost is ${shown(value)}; set it to true`);
  },
});
