import { configOf, resourcePolicy } from "../policy.js";
import { defaultMinRetentionDays } from "../packConfig.js";
import { at, shown } from "../lib/props.js";

export default resourcePolicy({
  name: "network-flowlog-require-retention",
  displayName: "Flow logs are enabled and kept long enough",
  description:
    "NSG and VNet flow logs are enabled and retained at least the configured number of days (0 = forever), " +
    "so incidents can be traced.",
  severity: "medium",
  enforcementLevel: "advisory",
  bioControls: ["U.15.1"],
  bio2Measures: ["8.15.04", "8.16.04"],
  bio2Partial: ["8.16.04"],
  isoControls: ["8.15", "8.16"],
  cisAzure: ["6.5"],
  remediationSteps: "Set `enabled: true` and `retentionPolicy: { enabled: true, days: 90 }` (or more).",
  configSchema: {
    properties: {
      minRetentionDays: {
        type: "integer",
        minimum: 1,
        description: "Minimum flow log retention in days",
        default: defaultMinRetentionDays,
      },
    },
  },
  resourceTypes: ["azure-native:network:FlowLog"],
  validateResource(args, reportViolation) {
    const { minRetentionDays } = configOf(args, { minRetentionDays: defaultMinRetentionDays });
    const enabled = at(args.props, "enabled");
    if (enabled === false) reportViolation("enabled is false; set it to true");
    const days = at(args.props, "retentionPolicy", "days");
    const retained = at(args.props, "retentionPolicy", "enabled");
    if (retained !== true || typeof days !== "number" || (days !== 0 && days < minRetentionDays)) {
      reportViolation(
        `retentionPolicy is ${shown(at(args.props, "retentionPolicy"))}; set enabled: true and days >= ` +
          `${minRetentionDays} (or 0 to keep forever)`,
      );
    }
  },
});
