import { configOf, resourcePolicy } from "../policy.js";
import { defaultMinWorkspaceRetentionDays } from "../packConfig.js";
import { at, shown } from "../lib/props.js";

export default resourcePolicy({
  name: "operationalinsights-workspace-require-retention",
  displayName: "Log Analytics keeps logs at least the configured number of days",
  description:
    "The central workspace retains logs long enough to investigate incidents and policy violations (BIO U.15.1).",
  severity: "medium",
  enforcementLevel: "advisory",
  bioControls: ["U.15.1"],
  bio2Measures: ["8.15.04"],
  isoControls: ["8.15"],
  remediationSteps:
    "Set `retentionInDays` to at least the configured minimum (default 183, six months: BIO2 8.18.02 for " +
    "logs of privileged tools); archive older logs to storage if needed.",
  configSchema: {
    properties: {
      minRetentionDays: {
        type: "integer",
        minimum: 30,
        description: "Minimum Log Analytics retention in days",
        default: defaultMinWorkspaceRetentionDays,
      },
    },
  },
  resourceTypes: ["azure-native:operationalinsights:Workspace"],
  validateResource(args, reportViolation) {
    const { minRetentionDays } = configOf(args, { minRetentionDays: defaultMinWorkspaceRetentionDays });
    const days = at(args.props, "retentionInDays");
    // Azure's default retention is 30 days.
    const effective = days ?? 30;
    if (typeof effective !== "number" || effective < minRetentionDays) {
      reportViolation(
        `retentionInDays is ${shown(days)}${days === undefined ? " (Azure default 30)" : ""}; set it to at ` +
          `least ${minRetentionDays}`,
      );
    }
  },
});
