import { stackPolicy } from "../policy.js";
import { ofType, types } from "../lib/graph.js";
import { at, normalizeLocation } from "../lib/props.js";

export default stackPolicy({
  name: "network-networkwatcher-require-per-location",
  displayName: "A Network Watcher exists in every location used",
  description:
    "Network Watcher (flow logs, connection troubleshooting) is enabled in every region the stack deploys to.",
  severity: "medium",
  enforcementLevel: "advisory",
  bioControls: ["U.15.1"],
  bio2Measures: ["8.16.04"],
  bio2Partial: ["8.16.04"],
  isoControls: ["8.16"],
  cisAzure: ["6.6"],
  remediationSteps:
    "Add a network NetworkWatcher in each listed location (or waive the policy when the watchers are managed " +
    "outside the stack).",
  validateStack(args, reportViolation) {
    const locationOf = (props: unknown): string | undefined => {
      const location = at(props, "location");
      return typeof location === "string" ? normalizeLocation(location) : undefined;
    };
    const watched = new Set(ofType(args.resources, types.networkWatcher).map((w) => locationOf(w.props)));
    const used = new Set<string>();
    for (const resource of args.resources) {
      if (!resource.type.startsWith("azure-native:network:")) continue;
      const location = locationOf(resource.props);
      if (location !== undefined && location !== "global") used.add(location);
    }
    const missing = [...used].filter((l) => !watched.has(l)).sort();
    if (missing.length > 0)
      reportViolation(`no Network Watcher in ${missing.join(", ")}; add a NetworkWatcher in each location`);
  },
});
