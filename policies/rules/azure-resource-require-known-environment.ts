import { resourcePolicy } from "../policy.js";
import { isTaggable } from "../lib/tags.js";
import { at, shown } from "../lib/props.js";

const environments = ["prod", "acc", "test", "dev"];

export default resourcePolicy({
  name: "azure-resource-require-known-environment",
  displayName: "The environment tag is one of prod, acc, test, dev",
  description:
    "The `environment` tag uses the municipality's OTAP names, so reports and SLAs group resources correctly.",
  severity: "low",
  enforcementLevel: "advisory",
  bioControls: ["B.09.3"],
  bio2Measures: ["5.09.01"],
  bio2Partial: ["5.09.01"],
  isoControls: ["5.9", "8.31"],
  remediationSteps: `Set the \`environment\` tag to one of ${environments.join(", ")}.`,
  resourceTypes: "*",
  validateResource(args, reportViolation) {
    if (!isTaggable(args.type, args.props)) return;
    const environment = at(at(args.props, "tags"), "environment");
    if (environment !== undefined && (typeof environment !== "string" || !environments.includes(environment))) {
      reportViolation(`environment tag is ${shown(environment)}; use one of ${environments.join(", ")}`);
    }
  },
});
