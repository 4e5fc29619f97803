import { resourcePolicy } from "../policy.js";
import { at, shown } from "../lib/props.js";

export default resourcePolicy({
  name: "compute-virtualmachine-require-trusted-launch",
  displayName: "Virtual machines use trusted launch with secure boot and vTPM",
  description: "Trusted launch (secure boot and a virtual TPM) protects the boot chain against rootkits.",
  severity: "medium",
  enforcementLevel: "advisory",
  bioControls: ["U.05.2", "U.11.3"],
  bio2Measures: [],
  isoControls: ["8.9", "8.7"],
  remediationSteps:
    "Set `securityProfile.securityType: TrustedLaunch` with `securityProfile.uefiSettings.secureBootEnabled: " +
    "true` and `vTpmEnabled: true`.",
  resourceTypes: ["azure-native:compute:VirtualMachine"],
  validateResource(args, reportViolation) {
    const securityType = at(args.props, "securityProfile", "securityType");
    if (securityType !== "TrustedLaunch" && securityType !== "ConfidentialVM") {
      reportViolation(`securityProfile.securityType is ${shown(securityType)}; set it to "TrustedLaunch"`);
      return;
    }
    for (const setting of ["secureBootEnabled", "vTpmEnabled"]) {
      const value = at(args.props, "securityProfile", "uefiSettings", setting);
      if (value !== true) reportViolation(`securityProfile.uefiSettings.${setting} is ${shown(value)}; set it to true`);
    }
  },
});
