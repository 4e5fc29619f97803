import { resourcePolicy } from "../policy.js";
import { at, shown } from "../lib/props.js";

export default resourcePolicy({
  name: "network-firewallpolicy-require-idps-deny",
  displayName: "Premium firewall policies run IDPS in Deny mode",
  description:
    "On the Premium tier, intrusion detection and prevention blocks matching traffic (Checkov CKV_AZURE_219).",
  severity: "medium",
  enforcementLevel: "advisory",
  bioControls: ["U.09.3", "U.12.1"],
  bio2Measures: ["8.21.02"],
  isoControls: ["8.16", "8.21"],
  remediationSteps: 'Set `intrusionDetection.mode: "Deny"` on Premium firewall policies.',
  resourceTypes: ["azure-native:network:FirewallPolicy"],
  validateResource(args, reportViolation) {
    if (at(args.props, "sku", "tier") !== "Premium") return;
    const mode = at(args.props, "intrusionDetection", "mode");
    if (mode !== "Deny") reportViolation(`intrusionDetection.mode is ${shown(mode)}; set it to "Deny"`);
  },
});
