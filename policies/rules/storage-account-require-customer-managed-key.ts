import { resourcePolicy } from "../policy.js";
import { at, shown } from "../lib/props.js";

export default resourcePolicy({
  name: "storage-account-require-customer-managed-key",
  displayName: "Storage accounts encrypt with a customer-managed key",
  description:
    "The municipality manages the key that encrypts its data at rest (BIO U.05.2: key management by the " +
    "customer where possible).",
  severity: "low",
  enforcementLevel: "advisory",
  bioControls: ["U.05.2", "U.11.3"],
  bio2Measures: [],
  isoControls: ["8.24"],
  cisAzure: ["3.12"],
  remediationSteps:
    'Set `encryption.keySource: "Microsoft.Keyvault"` with `encryption.keyVaultProperties` pointing to a key ' +
    "in the Key Vault.",
  resourceTypes: ["azure-native:storage:StorageAccount"],
  validateResource(args, reportViolation) {
    const value = at(args.props, "encryption", "keySource");
    if (value !== "Microsoft.Keyvault")
      reportViolation(`encryption.keySource is ${shown(value)}; use "Microsoft.Keyvault" with a key in the Key Vault`);
  },
});
