import { configOf, resourcePolicy } from "../policy.js";
import { departmentIdPattern, departmentsSchema, type DepartmentConfig } from "../packConfig.js";
import { isTaggable } from "../lib/tags.js";
import { at, shown } from "../lib/props.js";

export default resourcePolicy({
  name: "azure-resource-require-known-department",
  displayName: "The department tag names a known department",
  description:
    "The `department` tag is a department id of the stack configuration, so costs are charged to a " +
    "department that exists.",
  severity: "medium",
  enforcementLevel: "mandatory",
  bioControls: ["B.09.3"],
  bio2Measures: ["5.09.01"],
  bio2Partial: ["5.09.01"],
  isoControls: ["5.9"],
  remediationSteps:
    "Set the `department` tag to the id of a department declared in the stack configuration (e.g. " +
    "`burgerzaken`, or `ict` for shared infrastructure).",
  configSchema: { properties: { departments: departmentsSchema } },
  resourceTypes: "*",
  validateResource(args, reportViolation) {
    if (!isTaggable(args.type, args.props)) return;
    const department = at(at(args.props, "tags"), "department");
    // A missing tag is azure-resource-require-tags' finding; report it once.
    if (department === undefined) return;
    const { departments } = configOf<{ departments: DepartmentConfig[] }>(args, { departments: [] });
    const known = departments.map((d) => d.id);
    if (typeof department !== "string" || !departmentIdPattern.test(department)) {
      reportViolation(
        `department tag is ${shown(department)}, not a department id; use a lowercase id such as "burgerzaken"`,
      );
    } else if (known.length > 0 && !known.includes(department)) {
      reportViolation(
        `department tag is "${department}", which is not in the stack configuration; use one of ${known.join(", ")}`,
      );
    }
  },
});
