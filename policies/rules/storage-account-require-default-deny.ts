import { resourcePolicy } from "../policy.js";
import { at, shown } from "../lib/props.js";

export default resourcePolicy({
  name: "storage-account-require-default-deny",
  displayName: "Storage account firewalls deny by default",
  description:
    "The storage firewall's default action is Deny; only listed networks and private endpoints reach the account.",
  severity: "high",
  enforcementLevel: "advisory",
  bioControls: ["U.07.1", "U.12.1", "U.12.2"],
  bio2Measures: ["8.03.01"],
  isoControls: ["8.3", "8.20", "8.22"],
  cisAzure: ["3.8"],
  remediationSteps:
    'Set `networkRuleSet: { defaultAction: "Deny", bypass: "AzureServices" }` and allow the spoke subnets or ' +
    "a private endpoint.",
  resourceTypes: ["azure-native:storage:StorageAccount"],
  validateResource(args, reportViolation) {
    const value = at(args.props, "networkRuleSet", "defaultAction");
    if (value !== "Deny") reportViolation(`networkRuleSet.defaultAction is ${shown(value)}; set it to "Deny"`);
  },
});
