import { resourcePolicy } from "../policy.js";
import { at, shown } from "../lib/props.js";

export default resourcePolicy({
  name: "keyvault-key-require-expiry",
  displayName: "Key Vault keys expire",
  description: "Every key has an expiry date, so keys are rotated.",
  severity: "medium",
  enforcementLevel: "advisory",
  bioControls: ["U.11.2"],
  bio2Measures: ["8.24.02"],
  bio2Partial: ["8.24.02"],
  isoControls: ["8.24"],
  cisAzure: ["8.1"],
  remediationSteps:
    "Set `properties.attributes.expires` (epoch seconds) and rotate the key before then (or add a rotation policy).",
  resourceTypes: ["azure-native:keyvault:Key"],
  validateResource(args, reportViolation) {
    const value = at(args.props, "properties", "attributes", "expires");
    if (typeof value !== "number")
      reportViolation(`properties.attributes.expires is ${shown(value)}; set an expiry date`);
  },
});
