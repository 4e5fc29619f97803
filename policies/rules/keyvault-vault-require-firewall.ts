import { resourcePolicy } from "../policy.js";
import { at, shown } from "../lib/props.js";

export default resourcePolicy({
  name: "keyvault-vault-require-firewall",
  displayName: "Key vaults deny public network access by default",
  description: "The vault firewall denies by default, or public network access is disabled.",
  severity: "high",
  enforcementLevel: "advisory",
  bioControls: ["U.07.1"],
  bio2Measures: ["8.03.01"],
  isoControls: ["8.3", "8.20"],
  cisAzure: ["8.7"],
  remediationSteps:
    'Set `properties.networkAcls: { defaultAction: "Deny", bypass: "AzureServices" }` or ' +
    '`properties.publicNetworkAccess: "Disabled"`.',
  resourceTypes: ["azure-native:keyvault:Vault"],
  validateResource(args, reportViolation) {
    const action = at(args.props, "properties", "networkAcls", "defaultAction");
    const publicAccess = at(args.props, "properties", "publicNetworkAccess");
    if (action !== "Deny" && publicAccess !== "Disabled") {
      reportViolation(
        `properties.networkAcls.defaultAction is ${shown(action)} and publicNetworkAccess is ` +
          `${shown(publicAccess)}; set defaultAction to "Deny" or publicNetworkAccess to "Disabled"`,
      );
    }
  },
});
