import { resourcePolicy } from "../policy.js";
import { arrayAt, at } from "../lib/props.js";

export default resourcePolicy({
  name: "network-azurefirewall-require-firewall-policy",
  displayName: "Azure Firewall is governed by a firewall policy",
  description:
    "Rules live in a Firewall Policy (with threat intelligence), not in classic rule collections on the firewall.",
  severity: "medium",
  enforcementLevel: "advisory",
  bioControls: ["U.12.1", "U.12.2"],
  bio2Measures: [],
  isoControls: ["8.9", "8.20"],
  remediationSteps:
    "Set `firewallPolicy.id` and move classic network/application/NAT rule collections into the policy.",
  resourceTypes: ["azure-native:network:AzureFirewall"],
  validateResource(args, reportViolation) {
    if (at(args.props, "firewallPolicy", "id") === undefined)
      reportViolation("firewallPolicy is not set; attach a firewall policy with threat intelligence in Deny mode");
    const classic = ["networkRuleCollections", "applicationRuleCollections", "natRuleCollections"].filter(
      (key) => arrayAt(args.props, key).length > 0,
    );
    if (classic.length > 0)
      reportViolation(`classic rule collections are used (${classic.join(", ")}); move them into the firewall policy`);
  },
});
