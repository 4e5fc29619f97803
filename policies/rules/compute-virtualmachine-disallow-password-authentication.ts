import { resourcePolicy } from "../policy.js";
import { at, shown } from "../lib/props.js";

export default resourcePolicy({
  name: "compute-virtualmachine-disallow-password-authentication",
  displayName: "Linux virtual machines accept SSH keys only",
  description: "Password logins over SSH are disabled on Linux VMs; administrators authenticate with SSH keys.",
  severity: "high",
  enforcementLevel: "advisory",
  bioControls: ["U.10.5"],
  bio2Measures: ["5.17.01"],
  bio2Partial: ["5.17.01"],
  isoControls: ["5.17", "8.5"],
  remediationSteps:
    "Set `osProfile.linuxConfiguration.disablePasswordAuthentication: true`, give `ssh.publicKeys`, and drop " +
    "`adminPassword`.",
  resourceTypes: ["azure-native:compute:VirtualMachine"],
  validateResource(args, reportViolation) {
    const osProfile = at(args.props, "osProfile");
    if (osProfile === undefined || at(osProfile, "windowsConfiguration") !== undefined) return;
    const value = at(osProfile, "linuxConfiguration", "disablePasswordAuthentication");
    if (value !== true)
      reportViolation(
        `osProfile.linuxConfiguration.disablePasswordAuthentication is ${shown(value)}; set it to true and ` +
          `use SSH keys`,
      );
  },
});
