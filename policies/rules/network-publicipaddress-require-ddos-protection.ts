import { resourcePolicy } from "../policy.js";
import { at, shown } from "../lib/props.js";

export default resourcePolicy({
  name: "network-publicipaddress-require-ddos-protection",
  displayName: "Public IP addresses are DDoS-protected",
  description:
    "Internet-facing addresses (the digital counter, the firewall) have DDoS protection beyond the basic " +
    "infrastructure protection.",
  severity: "medium",
  enforcementLevel: "advisory",
  bioControls: ["U.09.3", "U.12.1", "U.12.2"],
  bio2Measures: ["8.21.01"],
  isoControls: ["8.21"],
  remediationSteps:
    'Set `ddosSettings.protectionMode: "Enabled"` (IP protection), or "VirtualNetworkInherited" in a VNet ' +
    "with a DDoS protection plan.",
  resourceTypes: ["azure-native:network:PublicIPAddress"],
  validateResource(args, reportViolation) {
    const mode = at(args.props, "ddosSettings", "protectionMode");
    if (mode !== "Enabled" && mode !== "VirtualNetworkInherited") {
      reportViolation(
        `ddosSettings.protectionMode is ${shown(mode)}; set it to "Enabled" or inherit a DDoS protection ` +
          `plan from the VNet`,
      );
    }
  },
});
