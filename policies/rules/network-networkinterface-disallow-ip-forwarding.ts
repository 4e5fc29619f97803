import { resourcePolicy } from "../policy.js";
import { at } from "../lib/props.js";

export default resourcePolicy({
  name: "network-networkinterface-disallow-ip-forwarding",
  displayName: "Network interfaces do not forward IP traffic",
  description:
    "IP forwarding lets a VM route traffic around the firewall; only network virtual appliances (by waiver) " +
    "may forward.",
  severity: "medium",
  enforcementLevel: "advisory",
  bioControls: ["U.07.1", "U.09.3", "U.12.1", "U.12.2"],
  bio2Measures: ["8.21.02", "8.22.01"],
  bio2Partial: ["8.21.02", "8.22.01"],
  isoControls: ["8.20", "8.22", "8.21"],
  remediationSteps: "Set `enableIPForwarding: false` (or remove it); a network virtual appliance needs a waiver.",
  resourceTypes: ["azure-native:network:NetworkInterface"],
  validateResource(args, reportViolation) {
    if (at(args.props, "enableIPForwarding") === true) reportViolation("enableIPForwarding is true; set it to false");
  },
});
