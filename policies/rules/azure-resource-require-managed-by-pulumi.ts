import { resourcePolicy } from "../policy.js";
import { isTaggable } from "../lib/tags.js";
import { at, shown } from "../lib/props.js";

export default resourcePolicy({
  name: "azure-resource-require-managed-by-pulumi",
  displayName: "Resources are marked as managed by Pulumi",
  description:
    "The `managedBy` tag says `pulumi`, so operators know not to change the resource by hand (drift would " +
    "undo BIO measures).",
  severity: "low",
  enforcementLevel: "advisory",
  bioControls: ["B.09.3"],
  bio2Measures: ["5.09.01"],
  bio2Partial: ["5.09.01"],
  isoControls: ["5.9", "8.9"],
  remediationSteps: "Set the tag `managedBy: pulumi`.",
  resourceTypes: "*",
  validateResource(args, reportViolation) {
    if (!isTaggable(args.type, args.props)) return;
    const managedBy = at(at(args.props, "tags"), "managedBy");
    if (managedBy !== undefined && managedBy !== "pulumi")
      reportViolation(`managedBy tag is ${shown(managedBy)}; set it to "pulumi"`);
  },
});
