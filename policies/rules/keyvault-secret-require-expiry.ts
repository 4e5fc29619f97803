import { resourcePolicy } from "../policy.js";
import { at, shown } from "../lib/props.js";

export default resourcePolicy({
  name: "keyvault-secret-require-expiry",
  displayName: "Key Vault secrets expire",
  description: "Every secret has an expiry date, so credentials are rotated.",
  severity: "medium",
  enforcementLevel: "advisory",
  bioControls: ["U.11.2"],
  bio2Measures: ["5.17.03"],
  bio2Partial: ["5.17.03"],
  isoControls: ["5.17"],
  cisAzure: ["8.3"],
  remediationSteps: "Set `properties.attributes.expires` (epoch seconds) and rotate the secret before then.",
  resourceTypes: ["azure-native:keyvault:Secret"],
  validateResource(args, reportViolation) {
    const value = at(args.props, "properties", "attributes", "expires");
    if (typeof value !== "number")
      reportViolation(`properties.attributes.expires is ${shown(value)}; set an expiry date`);
  },
});
