import { resourcePolicy } from "../policy.js";
import { exposedRules, networkSecurityGroupType, securityRuleType } from "../lib/nsgRules.js";

export default resourcePolicy({
  name: "network-networksecuritygroup-disallow-internet-any-port",
  displayName: "No rule opens every port to the Internet",
  description:
    "No network security rule allows traffic on all ports from the Internet; Internet-facing services open " +
    "only their own ports.",
  severity: "critical",
  enforcementLevel: "mandatory",
  bioControls: ["U.07.1", "U.12.1", "U.12.2"],
  bio2Measures: ["8.20.02"],
  bio2Partial: ["8.20.02"],
  isoControls: ["8.20", "8.22"],
  remediationSteps:
    "Replace the destination port range `*` (or 0-65535) with the service's own ports, or restrict the source.",
  resourceTypes: [networkSecurityGroupType, securityRuleType],
  validateResource(args, reportViolation) {
    for (const hit of exposedRules(args.type, args.props, undefined)) {
      reportViolation(
        `rule ${hit.rule} allows every port (${hit.ports}) from ${hit.source}; open only the service's ports ` +
          `or restrict the source`,
      );
    }
  },
});
