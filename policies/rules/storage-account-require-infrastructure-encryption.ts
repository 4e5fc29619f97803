import { resourcePolicy } from "../policy.js";
import { at, shown } from "../lib/props.js";

export default resourcePolicy({
  name: "storage-account-require-infrastructure-encryption",
  displayName: "Storage accounts double-encrypt at rest",
  description:
    "Infrastructure encryption adds a second AES-256 layer with a different key, so one broken layer does " +
    "not expose data.",
  severity: "medium",
  enforcementLevel: "advisory",
  bioControls: ["U.05.2", "U.11.3"],
  bio2Measures: [],
  isoControls: ["8.24"],
  remediationSteps:
    "Set `encryption.requireInfrastructureEncryption: true` (only possible when the account is created).",
  resourceTypes: ["azure-native:storage:StorageAccount"],
  validateResource(args, reportViolation) {
    const value = at(args.props, "encryption", "requireInfrastructureEncryption");
    if (value !== true)
      reportViolation(`encryption.requireInfrastructureEncryption is ${shown(value)}; set it to true (at creation)`);
  },
});
