import { resourcePolicy } from "../policy.js";
import { exposedRules, networkSecurityGroupType, securityRuleType } from "../lib/nsgRules.js";

export default resourcePolicy({
  name: "network-networksecuritygroup-disallow-internet-rdp",
  displayName: "No RDP from the Internet",
  description:
    "No network security rule allows RDP (TCP 3389) from the Internet; administrators come in through " +
    "Bastion or the VPN.",
  severity: "critical",
  enforcementLevel: "mandatory",
  bioControls: ["U.07.1", "U.12.2"],
  bio2Measures: ["8.20.02", "5.15.01"],
  bio2Partial: ["8.20.02", "5.15.01"],
  isoControls: ["5.15", "8.20"],
  cisAzure: ["6.1"],
  remediationSteps:
    "Remove the rule, or restrict its source to the management network (e.g. the AzureBastionSubnet prefix " +
    "or VirtualNetwork).",
  resourceTypes: [networkSecurityGroupType, securityRuleType],
  validateResource(args, reportViolation) {
    for (const hit of exposedRules(args.type, args.props, 3389)) {
      reportViolation(
        `rule ${hit.rule} allows RDP from ${hit.source} (ports ${hit.ports}); restrict the source to the ` +
          `management network or remove the rule`,
      );
    }
  },
});
