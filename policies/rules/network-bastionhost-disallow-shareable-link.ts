import { resourcePolicy } from "../policy.js";
import { at } from "../lib/props.js";

export default resourcePolicy({
  name: "network-bastionhost-disallow-shareable-link",
  displayName: "Bastion does not hand out shareable links",
  description: "A Bastion shareable link lets anyone holding the URL reach a VM's console without an Azure login.",
  severity: "high",
  enforcementLevel: "advisory",
  bioControls: ["U.10.2", "U.10.3"],
  bio2Measures: ["5.15.01", "5.17.01"],
  bio2Partial: ["5.17.01"],
  isoControls: ["5.15", "8.5", "5.17"],
  remediationSteps: "Set `enableShareableLink: false` (or remove it).",
  resourceTypes: ["azure-native:network:BastionHost"],
  validateResource(args, reportViolation) {
    if (at(args.props, "enableShareableLink") === true) reportViolation("enableShareableLink is true; set it to false");
  },
});
