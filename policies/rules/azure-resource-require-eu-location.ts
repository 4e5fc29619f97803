import { configOf, resourcePolicy } from "../policy.js";
import { defaultAllowedLocations } from "../packConfig.js";
import { at, normalizeLocation, shown } from "../lib/props.js";

export default resourcePolicy({
  name: "azure-resource-require-eu-location",
  displayName: "Resources are deployed in EU locations only",
  description: "Data of the municipality is processed and stored in the EU: every resource's location is an allowed (EU) region.",
  severity: "high",
  enforcementLevel: "mandatory",
  bioControls: ["B.01.3"],
  remediationSteps: "Set `location` to an allowed region (default westeurope or northeurope), or leave it out so the resource group's EU location applies.",
  configSchema: {
    properties: {
      allowedLocations: { type: "array", items: { type: "string" }, description: "Allowed Azure locations (programmatic names)", default: defaultAllowedLocations },
    },
  },
  resourceTypes: "*",
  validateResource(args, reportViolation) {
    if (!args.type.startsWith("azure-native:")) return;
    const location = at(args.props, "location");
    // Without a location, Azure uses the resource group's, which this rule checks on the group itself;
    // a provider-level default location is checked here because it applies silently.
    const effective = location ?? at(args.provider?.props, "location");
    if (effective === undefined) return;
    const { allowedLocations } = configOf(args, { allowedLocations: defaultAllowedLocations });
    const allowed = allowedLocations.map(normalizeLocation);
    if (typeof effective !== "string" || !allowed.includes(normalizeLocation(effective))) {
      reportViolation(`location is ${shown(effective)}${location === undefined ? " (provider default)" : ""}; use one of ${allowedLocations.join(", ")}`);
    }
  },
});
