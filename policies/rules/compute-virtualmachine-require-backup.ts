import { stackPolicy } from "../policy.js";
import { dependencyUrns, ofType, types } from "../lib/graph.js";
import { stringAt } from "../lib/props.js";

export default stackPolicy({
  name: "compute-virtualmachine-require-backup",
  displayName: "Every virtual machine is backed up",
  description:
    "Each VM is protected by Azure Backup (a Recovery Services protected item), so it can be restored within " +
    "the agreed period.",
  severity: "critical",
  enforcementLevel: "mandatory",
  bioControls: ["U.03.1", "U.03.2", "U.04.1", "U.17.1"],
  bio2Measures: ["8.13.01", "8.13.03"],
  bio2Partial: ["8.13.01", "8.13.03"],
  isoControls: ["8.13"],
  remediationSteps:
    "Add a recoveryservices ProtectedItem with `properties.protectedItemType: " +
    '"Microsoft.Compute/virtualMachines"`, `sourceResourceId` = the VM\'s id and a backup policy.',
  validateStack(args, reportViolation) {
    const items = ofType(args.resources, types.protectedItem).filter(
      (item) => stringAt(item.props, "properties", "protectedItemType") === "Microsoft.Compute/virtualMachines",
    );
    // Indexed once, so a stack with thousands of VMs is not checked pair by pair.
    const protectedUrns = new Set(items.flatMap((item) => dependencyUrns(item)));
    const protectedNames = new Set(
      items.map((item) => (stringAt(item.props, "protectedItemName") ?? "").toLowerCase().split(";").pop()),
    );
    for (const vm of ofType(args.resources, types.virtualMachine)) {
      if (protectedUrns.has(vm.urn)) continue;
      // Without a dependency, a protected item named "VM;iaasvmcontainerv2;<rg>;<vm>" still protects it.
      const vmName = (stringAt(vm.props, "vmName") ?? vm.name).toLowerCase();
      if (protectedNames.has(vmName)) continue;
      reportViolation(
        `virtual machine ${vm.name} has no backup (no ProtectedItem refers to it); add an Azure Backup ` +
          `protected item with a backup policy`,
        vm.urn,
      );
    }
  },
});
