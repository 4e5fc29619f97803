import { resourcePolicy } from "../policy.js";
import { at, shown } from "../lib/props.js";

export default resourcePolicy({
  name: "operationalinsights-workspace-disallow-local-auth",
  displayName: "Log Analytics accepts Entra ID ingestion only",
  description: "Workspace shared keys are disabled, so only authenticated agents (Entra ID) can write logs.",
  severity: "medium",
  enforcementLevel: "advisory",
  bioControls: ["U.15.1"],
  bio2Measures: [],
  isoControls: ["8.15", "8.5"],
  remediationSteps: "Set `features.disableLocalAuth: true`.",
  resourceTypes: ["azure-native:operationalinsights:Workspace"],
  validateResource(args, reportViolation) {
    const value = at(args.props, "features", "disableLocalAuth");
    if (value !== true) reportViolation(`features.disableLocalAuth is ${shown(value)}; set it to true`);
  },
});
