import { resourcePolicy } from "../policy.js";
import { at, shown } from "../lib/props.js";

export default resourcePolicy({
  name: "storage-fileservice-require-share-soft-delete",
  displayName: "Azure Files keeps deleted shares (soft delete)",
  description: "A deleted department share can be restored within the retention period.",
  severity: "medium",
  enforcementLevel: "advisory",
  bioControls: ["U.04.1"],
  bio2Measures: ["8.13.01"],
  bio2Partial: ["8.13.01"],
  isoControls: ["8.13"],
  cisAzure: ["3.11"],
  remediationSteps: "Set `shareDeleteRetentionPolicy: { enabled: true, days: 14 }` (or more).",
  resourceTypes: ["azure-native:storage:FileServiceProperties"],
  validateResource(args, reportViolation) {
    const value = at(args.props, "shareDeleteRetentionPolicy", "enabled");
    if (value !== true)
      reportViolation(`shareDeleteRetentionPolicy.enabled is ${shown(value)}; set it to true with days >= 7`);
  },
});
