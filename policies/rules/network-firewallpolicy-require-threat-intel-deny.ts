import { resourcePolicy } from "../policy.js";
import { at, shown } from "../lib/props.js";

export default resourcePolicy({
  name: "network-firewallpolicy-require-threat-intel-deny",
  displayName: "The hub firewall blocks known-malicious addresses",
  description:
    "Azure Firewall's threat intelligence blocks (Deny) traffic to and from known-malicious IP addresses and " +
    "domains; Alert only logs it.",
  severity: "high",
  enforcementLevel: "advisory",
  bioControls: ["U.09.3", "U.12.1", "U.12.2"],
  bio2Measures: ["8.21.02"],
  isoControls: ["8.21", "5.7"],
  remediationSteps: 'Set `threatIntelMode: "Deny"` on the firewall policy.',
  resourceTypes: ["azure-native:network:FirewallPolicy"],
  validateResource(args, reportViolation) {
    const mode = at(args.props, "threatIntelMode");
    if (mode !== "Deny") reportViolation(`threatIntelMode is ${shown(mode)}; set it to "Deny"`);
  },
});
