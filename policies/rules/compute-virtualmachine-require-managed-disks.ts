import { resourcePolicy } from "../policy.js";
import { arrayAt, at } from "../lib/props.js";

export default resourcePolicy({
  name: "compute-virtualmachine-require-managed-disks",
  displayName: "Virtual machines use managed disks only",
  description: "Unmanaged (VHD blob) disks bypass disk encryption sets and RBAC on disks; only managed disks are used.",
  severity: "medium",
  enforcementLevel: "advisory",
  bioControls: ["U.10.2", "U.10.3", "U.10.5"],
  bio2Measures: [],
  isoControls: ["8.9", "8.24"],
  cisAzure: ["7.2"],
  remediationSteps:
    "Remove `vhd` from `storageProfile.osDisk` and `storageProfile.dataDisks[]`, and give each disk a `managedDisk`.",
  resourceTypes: ["azure-native:compute:VirtualMachine"],
  validateResource(args, reportViolation) {
    if (at(args.props, "storageProfile", "osDisk", "vhd") !== undefined) {
      reportViolation("storageProfile.osDisk uses an unmanaged VHD; use a managed disk (managedDisk) instead");
    }
    arrayAt(args.props, "storageProfile", "dataDisks").forEach((disk, index) => {
      if (at(disk, "vhd") !== undefined)
        reportViolation(
          `storageProfile.dataDisks[${index}] uses an unmanaged VHD; use a managed disk (managedDisk) instead`,
        );
    });
  },
});
