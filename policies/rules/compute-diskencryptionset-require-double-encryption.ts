import { resourcePolicy } from "../policy.js";
import { at, shown } from "../lib/props.js";

export default resourcePolicy({
  name: "compute-diskencryptionset-require-double-encryption",
  displayName: "Disk encryption sets use both platform and customer keys",
  description:
    "Disks are double encrypted: the platform key and the municipality's key, so one compromised key does " +
    "not expose data.",
  severity: "low",
  enforcementLevel: "advisory",
  bioControls: ["U.05.2", "U.11.3"],
  bio2Measures: [],
  isoControls: ["8.24"],
  remediationSteps: 'Set `encryptionType: "EncryptionAtRestWithPlatformAndCustomerKeys"` on the disk encryption set.',
  resourceTypes: ["azure-native:compute:DiskEncryptionSet"],
  validateResource(args, reportViolation) {
    const value = at(args.props, "encryptionType");
    if (value !== "EncryptionAtRestWithPlatformAndCustomerKeys") {
      reportViolation(`encryptionType is ${shown(value)}; set it to "EncryptionAtRestWithPlatformAndCustomerKeys"`);
    }
  },
});
