import { resourcePolicy } from "../policy.js";
import { at, shown } from "../lib/props.js";

const platformOnly = new Set(["EncryptionAtRestWithPlatformKey"]);

export default resourcePolicy({
  name: "compute-disk-require-encryption",
  displayName: "Managed disks are encrypted with a customer-managed key or Azure Disk Encryption",
  description:
    "Managed disks holding municipal data are encrypted with a key the municipality controls (disk " +
    "encryption set) or with Azure Disk Encryption.",
  severity: "medium",
  enforcementLevel: "advisory",
  bioControls: ["U.05.2", "U.11.3"],
  bio2Measures: [],
  isoControls: ["8.24"],
  cisAzure: ["7.3"],
  remediationSteps:
    "Set `encryption.diskEncryptionSetId` to a disk encryption set backed by the Key Vault, or enable " +
    "`encryptionSettingsCollection`.",
  resourceTypes: ["azure-native:compute:Disk"],
  validateResource(args, reportViolation) {
    const setId = at(args.props, "encryption", "diskEncryptionSetId");
    const type = at(args.props, "encryption", "type");
    const ade = at(args.props, "encryptionSettingsCollection", "enabled");
    if (setId === undefined && ade !== true) {
      const platformOnlyType = type !== undefined && typeof type === "string" && platformOnly.has(type);
      reportViolation(
        `encryption.diskEncryptionSetId is not ` +
          `set${platformOnlyType ? ` (type ${shown(type)})` : ""}; ` +
          `encrypt the disk with a disk encryption set (customer-managed key)`,
      );
    }
  },
});
