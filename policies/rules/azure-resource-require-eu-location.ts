import { configOf, resourcePolicy } from "../policy.js";
import { defaultAllowedLocations } from "../packConfig.js";
import { at, normalizeLocation, shown } from "../lib/props.js";
import { isTaggable } from "../lib/tags.js";

export default resourcePolicy({
  name: "azure-resource-require-eu-location",
  displayName: "Resources are deployed in EU locations only",
  description:
    "Data of the municipality is processed and stored in the EU: every resource's location is an allowed (EU) region.",
  severity: "high",
  enforcementLevel: "mandatory",
  bioControls: ["B.01.3"],
  bio2Measures: ["5.23.01"],
  bio2Partial: ["5.23.01"],
  isoControls: ["5.23", "5.31", "5.34"],
  remediationSteps:
    "Set `location` to an allowed region (default westeurope or northeurope), or leave it out so the " +
    "resource group's EU location applies.",
  configSchema: {
    properties: {
      allowedLocations: {
        type: "array",
        items: { type: "string" },
        description: "Allowed Azure locations (programmatic names)",
        default: defaultAllowedLocations,
      },
    },
  },
  resourceTypes: "*",
  validateResource(args, reportViolation) {
    if (!args.type.startsWith("azure-native:")) return;
    const location = at(args.props, "location");
    // Without a location, a top-level resource gets the provider's default location, which applies
    // silently, so it is checked here; child resources (secrets, subnets, settings) live where their parent is.
    const effective =
      location ?? (isTaggable(args.type, args.props) ? at(args.provider?.props, "location") : undefined);
    if (effective === undefined) return;
    const { allowedLocations } = configOf(args, { allowedLocations: defaultAllowedLocations });
    const allowed = allowedLocations.map(normalizeLocation);
    if (typeof effective !== "string" || !allowed.includes(normalizeLocation(effective))) {
      reportViolation(
        `location is ${shown(effective)}${location === undefined ? " (provider default)" : ""}; use one of ` +
          allowedLocations.join(", "),
      );
    }
  },
});
