import { resourcePolicy } from "../policy.js";
import { at, shown } from "../lib/props.js";

export default resourcePolicy({
  name: "network-applicationgateway-require-waf-prevention",
  displayName: "The digital counter's Application Gateway has a WAF in Prevention mode",
  description:
    "The Application Gateway in front of the digital counter runs a web application firewall that blocks " +
    "attacks (Prevention), not only logs them.",
  severity: "critical",
  enforcementLevel: "mandatory",
  bioControls: ["U.07.1", "U.09.3", "U.12.1", "U.12.2"],
  bio2Measures: ["8.21.02", "8.21.01"],
  bio2Partial: ["8.21.01"],
  isoControls: ["8.20", "8.21"],
  remediationSteps:
    "Attach a WebApplicationFirewallPolicy (`firewallPolicy.id`) in Prevention mode, or set " +
    "`webApplicationFirewallConfiguration.enabled: true` with `firewallMode: Prevention`; use the WAF_v2 SKU.",
  resourceTypes: ["azure-native:network:ApplicationGateway"],
  validateResource(args, reportViolation) {
    // The mode of an attached WAF policy is checked on the policy itself
    // (network-webapplicationfirewallpolicy-require-prevention-mode).
    if (at(args.props, "firewallPolicy", "id") !== undefined) return;
    const legacy = at(args.props, "webApplicationFirewallConfiguration");
    if (legacy === undefined) {
      reportViolation(
        "no WAF: neither " +
          "firewallPolicy " +
          "nor " +
          "webApplicationFirewallConfiguration is set; attach a " +
          "WAF policy " +
          "in Prevention mode",
      );
      return;
    }
    const enabled = at(legacy, "enabled");
    const mode = at(legacy, "firewallMode");
    if (enabled !== true)
      reportViolation(`webApplicationFirewallConfiguration.enabled is ${shown(enabled)}; set it to true`);
    if (mode !== "Prevention")
      reportViolation(`webApplicationFirewallConfiguration.firewallMode is ${shown(mode)}; set it to "Prevention"`);
  },
});
