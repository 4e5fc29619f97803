import { configOf, resourcePolicy } from "../policy.js";
import { defaultAllowedVmSizes } from "../packConfig.js";
import { at, shown } from "../lib/props.js";

export default resourcePolicy({
  name: "compute-virtualmachine-require-allowed-size",
  displayName: "Virtual machines use a size from the allow-list",
  description: "Only the VM sizes central ICT offers (and prices in the rate card) are deployed.",
  severity: "low",
  enforcementLevel: "advisory",
  bioControls: ["B.09.1"],
  bio2Measures: [],
  isoControls: [],
  remediationSteps:
    "Set `hardwareProfile.vmSize` to a size on the allow-list, or ask central ICT to add the size (and its rate).",
  configSchema: {
    properties: {
      allowedVmSizes: {
        type: "array",
        items: { type: "string" },
        description: "VM sizes that may be deployed",
        default: defaultAllowedVmSizes,
      },
    },
  },
  resourceTypes: ["azure-native:compute:VirtualMachine"],
  validateResource(args, reportViolation) {
    const { allowedVmSizes } = configOf(args, { allowedVmSizes: defaultAllowedVmSizes });
    const size = at(args.props, "hardwareProfile", "vmSize");
    if (typeof size !== "string" || !allowedVmSizes.includes(size)) {
      reportViolation(
        `hardwareProfile.vmSize is ${shown(size)}, not on the allow-list; use one of ${allowedVmSizes.join(", ")}`,
      );
    }
  },
});
