import { configOf, resourcePolicy } from "../policy.js";
import { defaultRequiredTags } from "../packConfig.js";
import { isTaggable } from "../lib/tags.js";
import { at } from "../lib/props.js";

export default resourcePolicy({
  name: "azure-resource-require-tags",
  displayName: "Taggable resources carry every required tag",
  description:
    "Every taggable Azure resource carries the tags the chargeback and the inventory rely on (department, " +
    "costCenter, environment, service, managedBy).",
  severity: "medium",
  enforcementLevel: "mandatory",
  bioControls: ["B.09.3"],
  bio2Measures: ["5.09.01"],
  bio2Partial: ["5.09.01"],
  isoControls: ["5.9"],
  remediationSteps:
    "Add the missing tags to the resource's `tags` (the stacks' tag helper sets all of them from the " +
    "department in the stack configuration).",
  configSchema: {
    properties: {
      requiredTags: {
        type: "array",
        items: { type: "string" },
        description: "Tag keys every taggable resource must carry",
        default: defaultRequiredTags,
      },
    },
  },
  resourceTypes: "*",
  validateResource(args, reportViolation) {
    if (!isTaggable(args.type, args.props)) return;
    const { requiredTags } = configOf(args, { requiredTags: defaultRequiredTags });
    const tags = at(args.props, "tags");
    const missing = requiredTags.filter((key) => {
      const value = at(tags, key);
      return typeof value !== "string" || value.trim() === "";
    });
    if (missing.length > 0) {
      reportViolation(
        `missing tag${missing.length > 1 ? "s" : ""} ${missing.join(", ")}; add ` +
          `${missing.length > 1 ? "them" : "it"} to tags`,
      );
    }
  },
});
