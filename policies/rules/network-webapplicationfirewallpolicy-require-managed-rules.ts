import { resourcePolicy } from "../policy.js";
import { arrayAt, stringAt } from "../lib/props.js";

export default resourcePolicy({
  name: "network-webapplicationfirewallpolicy-require-managed-rules",
  displayName: "WAF policies apply the OWASP managed rule set",
  description:
    "A WAF policy without a managed rule set (OWASP / Microsoft_DefaultRuleSet) blocks nothing but its custom rules.",
  severity: "high",
  enforcementLevel: "advisory",
  bioControls: ["U.09.3", "U.12.1"],
  bio2Measures: ["8.21.02"],
  isoControls: ["8.21"],
  remediationSteps:
    'Add `managedRules.managedRuleSets: [{ ruleSetType: "OWASP", ruleSetVersion: "3.2" }]` (or ' +
    "Microsoft_DefaultRuleSet 2.1).",
  resourceTypes: ["azure-native:network:WebApplicationFirewallPolicy"],
  validateResource(args, reportViolation) {
    const sets = arrayAt(args.props, "managedRules", "managedRuleSets").map((set) => stringAt(set, "ruleSetType"));
    if (!sets.some((type) => type === "OWASP" || type === "Microsoft_DefaultRuleSet")) {
      reportViolation(
        `managedRules.managedRuleSets has ${sets.length === 0 ? "no rule set" : sets.join(", ")}; add the ` +
          `OWASP 3.2 or Microsoft_DefaultRuleSet rule set`,
      );
    }
  },
});
