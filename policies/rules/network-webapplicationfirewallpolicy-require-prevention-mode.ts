import { resourcePolicy } from "../policy.js";
import { at, shown } from "../lib/props.js";

export default resourcePolicy({
  name: "network-webapplicationfirewallpolicy-require-prevention-mode",
  displayName: "WAF policies are enabled in Prevention mode",
  description:
    "A WAF policy blocks what its rules detect: state Enabled and mode Prevention (Azure's default is Detection).",
  severity: "critical",
  enforcementLevel: "mandatory",
  bioControls: ["U.09.3", "U.12.1"],
  bio2Measures: ["8.21.02", "8.21.01"],
  bio2Partial: ["8.21.01"],
  isoControls: ["8.21"],
  remediationSteps:
    'Set `policySettings.mode: "Prevention"` and `policySettings.state: "Enabled"`; tune false positives ' +
    "with exclusions, not Detection mode.",
  resourceTypes: ["azure-native:network:WebApplicationFirewallPolicy"],
  validateResource(args, reportViolation) {
    const mode = at(args.props, "policySettings", "mode");
    const state = at(args.props, "policySettings", "state");
    if (mode !== "Prevention") reportViolation(`policySettings.mode is ${shown(mode)}; set it to "Prevention"`);
    if (state !== undefined && state !== "Enabled")
      reportViolation(`policySettings.state is ${shown(state)}; set it to "Enabled"`);
  },
});
