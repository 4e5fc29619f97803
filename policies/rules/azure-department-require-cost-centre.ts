import { configOf, stackPolicy } from "../policy.js";
import { departmentsSchema, type DepartmentConfig } from "../packConfig.js";
import { isTaggable } from "../lib/tags.js";
import { at, shown } from "../lib/props.js";

export default stackPolicy({
  name: "azure-department-require-cost-centre",
  displayName: "Every department used exists in the configuration, with a cost centre",
  description:
    "Each department named in a `department` tag is declared in the stack configuration with a cost centre, " +
    "and resources carry that cost centre, so the chargeback can book every cost.",
  severity: "medium",
  enforcementLevel: "advisory",
  bioControls: ["B.09.3"],
  bio2Measures: ["5.09.01"],
  bio2Partial: ["5.09.01"],
  isoControls: ["5.9"],
  remediationSteps:
    "Declare the department (id, name, costCenter) in the stack configuration, and tag its resources with " +
    "the same costCenter.",
  configSchema: { properties: { departments: departmentsSchema } },
  validateStack(args, reportViolation) {
    const { departments } = configOf<{ departments: DepartmentConfig[] }>(args, { departments: [] });
    if (departments.length === 0) args.notApplicable("no departments in the configuration");
    const byId = new Map(departments.map((d) => [d.id, d]));
    const reported = new Set<string>();
    for (const resource of args.resources) {
      if (!isTaggable(resource.type, resource.props)) continue;
      const tags = at(resource.props, "tags");
      const department = at(tags, "department");
      if (typeof department !== "string") continue;
      const declared = byId.get(department);
      if (!declared) {
        if (!reported.has(department))
          reportViolation(
            `department "${department}" is used but not in the configuration; declare it with a cost centre`,
            resource.urn,
          );
        reported.add(department);
      } else if (!declared.costCenter) {
        if (!reported.has(department))
          reportViolation(
            `department "${department}" has no cost centre in the configuration; add costCenter`,
            resource.urn,
          );
        reported.add(department);
      } else {
        const costCenter = at(tags, "costCenter");
        if (costCenter !== undefined && costCenter !== declared.costCenter) {
          reportViolation(
            `costCenter tag is ${shown(costCenter)} but department "${department}" has cost centre ` +
              `"${declared.costCenter}"; set the tag to "${declared.costCenter}"`,
            resource.urn,
          );
        }
      }
    }
  },
});
