// One server of a department: a NIC with a static private address (never a public IP), a Linux or
// Windows VM with managed OS and data disks, encryption at host and trusted launch, SSH keys only on
// Linux, custom data that installs the muniops agent, and a backup protected item. Its resources carry
// the department's tags (see tagging.ts).
import { VirtualMachine, type VirtualMachineArgs } from "@pulumi/azure-native/compute/virtualMachine.js";
import { VirtualMachineExtension } from "@pulumi/azure-native/compute/virtualMachineExtension.js";
import { NetworkInterface } from "@pulumi/azure-native/network/networkInterface.js";
import { ProtectedItem } from "@pulumi/azure-native/recoveryservices/protectedItem.js";
import * as pulumi from "@pulumi/pulumi";
import { base64 } from "../cloudInit.js";
import type { ServerSpec } from "../config.js";
import type { OwnerTags, TagOwner } from "../tagging.js";

export interface DepartmentServerArgs {
  spec: ServerSpec;
  costCenter: string;
  location: string;
  resourceGroupName: string;
  subnetId: pulumi.Input<string>;
  admin: { username: string; sshPublicKey: string; windowsPassword?: pulumi.Input<string> };
  /** cloud-init (Linux) or the PowerShell install script (Windows). */
  customData: string;
  backup: { vaultName: pulumi.Input<string>; resourceGroupName: pulumi.Input<string>; policyId: pulumi.Input<string> };
}

const images = {
  linux: { publisher: "Canonical", offer: "ubuntu-24_04-lts", sku: "server", version: "latest" },
  windows: {
    publisher: "MicrosoftWindowsServer",
    offer: "WindowsServer",
    sku: "2022-datacenter-azure-edition",
    version: "latest",
  },
} as const;

/** Copies the custom data to a script and runs it (the Custom Script Extension's command on Windows). */
const windowsInstallCommand =
  'powershell -ExecutionPolicy Bypass -NoProfile -Command "' +
  "Copy-Item C:\\AzureData\\CustomData.bin C:\\AzureData\\install-muniops-agent.ps1; " +
  '& C:\\AzureData\\install-muniops-agent.ps1"';

export class DepartmentServer extends pulumi.ComponentResource implements TagOwner {
  readonly ownerTags: OwnerTags;
  readonly vmId: pulumi.Output<string>;
  readonly privateIpAddress: string;

  constructor(name: string, args: DepartmentServerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("muniops:compute:DepartmentServer", name, {}, opts);
    const { spec } = args;
    this.ownerTags = { department: spec.department, costCenter: args.costCenter, service: spec.service };

    const nic = this.networkInterface(name, args);
    const vm = this.virtualMachine(name, args, nic, osProfileFor(args));
    if (spec.os !== "linux") this.agentExtension(name, args, vm);
    this.backupItem(name, args, vm);

    this.vmId = vm.id;
    this.privateIpAddress = spec.address;
    this.registerOutputs({ vmId: this.vmId, privateIpAddress: this.privateIpAddress });
  }

  /** The NIC with the server's static private address; never a public IP. */
  private networkInterface(name: string, args: DepartmentServerArgs): NetworkInterface {
    const { spec } = args;
    return new NetworkInterface(
      `${name}-nic`,
      {
        networkInterfaceName: `nic-${spec.name}`,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        enableIPForwarding: false,
        enableAcceleratedNetworking: true,
        ipConfigurations: [
          {
            name: "ipconfig",
            primary: true,
            privateIPAllocationMethod: "Static",
            privateIPAddress: spec.address,
            subnet: { id: args.subnetId },
          },
        ],
      },
      { parent: this },
    );
  }

  /** The VM with managed OS and data disks, encryption at host and trusted launch. */
  private virtualMachine(
    name: string,
    args: DepartmentServerArgs,
    nic: NetworkInterface,
    osProfile: VirtualMachineArgs["osProfile"],
  ): VirtualMachine {
    const { spec } = args;
    return new VirtualMachine(
      `${name}-vm`,
      {
        vmName: spec.name,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        hardwareProfile: { vmSize: spec.vmSize },
        networkProfile: { networkInterfaces: [{ id: nic.id, primary: true, deleteOption: "Detach" }] },
        osProfile,
        storageProfile: {
          imageReference: images[spec.os],
          osDisk: {
            name: `${spec.name}-os`,
            createOption: "FromImage",
            caching: "ReadWrite",
            diskSizeGB: spec.osDiskGiB,
            managedDisk: { storageAccountType: "Premium_LRS" },
            deleteOption: "Delete",
          },
          dataDisks: spec.dataDisks.map((disk, lun) => ({
            lun,
            name: `${spec.name}-data-${lun}`,
            createOption: "Empty",
            caching: "ReadOnly",
            diskSizeGB: disk.sizeGiB,
            managedDisk: { storageAccountType: disk.sku },
            deleteOption: "Detach",
          })),
        },
        securityProfile: {
          encryptionAtHost: true,
          securityType: "TrustedLaunch",
          uefiSettings: { secureBootEnabled: true, vTpmEnabled: true },
        },
        diagnosticsProfile: { bootDiagnostics: { enabled: true } },
      },
      { parent: this },
    );
  }

  /** Windows doesn't run custom data itself; the Custom Script Extension runs the install script. */
  private agentExtension(name: string, args: DepartmentServerArgs, vm: VirtualMachine): void {
    new VirtualMachineExtension(
      `${name}-agent`,
      {
        vmExtensionName: "muniops-agent",
        vmName: vm.name,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        publisher: "Microsoft.Compute",
        type: "CustomScriptExtension",
        typeHandlerVersion: "1.10",
        autoUpgradeMinorVersion: true,
        settings: { commandToExecute: windowsInstallCommand },
      },
      { parent: this },
    );
  }

  /** The VM's backup protected item in the recovery services vault. */
  private backupItem(name: string, args: DepartmentServerArgs, vm: VirtualMachine): void {
    const { spec } = args;
    const rg = args.resourceGroupName;
    new ProtectedItem(
      `${name}-backup`,
      {
        vaultName: args.backup.vaultName,
        resourceGroupName: args.backup.resourceGroupName,
        fabricName: "Azure",
        containerName: `IaasVMContainer;iaasvmcontainerv2;${rg};${spec.name}`,
        protectedItemName: `VM;iaasvmcontainerv2;${rg};${spec.name}`,
        properties: {
          protectedItemType: "Microsoft.Compute/virtualMachines",
          sourceResourceId: vm.id,
          policyId: args.backup.policyId,
        },
      },
      { parent: this },
    );
  }
}

/** Linux logs in with SSH keys only; Windows needs the admin password. Both install the agent from custom data. */
function osProfileFor(args: DepartmentServerArgs): VirtualMachineArgs["osProfile"] {
  const { spec } = args;
  const linux = spec.os === "linux";
  const windowsPassword = args.admin.windowsPassword;
  if (!linux && windowsPassword === undefined)
    throw new Error(`server ${spec.name} is Windows but no admin password was given`);
  return linux
    ? {
        computerName: spec.name,
        adminUsername: args.admin.username,
        customData: base64(args.customData),
        linuxConfiguration: {
          disablePasswordAuthentication: true,
          provisionVMAgent: true,
          ssh: {
            publicKeys: [
              { path: `/home/${args.admin.username}/.ssh/authorized_keys`, keyData: args.admin.sshPublicKey },
            ],
          },
          patchSettings: { patchMode: "AutomaticByPlatform", assessmentMode: "AutomaticByPlatform" },
        },
      }
    : {
        computerName: spec.name,
        adminUsername: args.admin.username,
        adminPassword: pulumi.secret(windowsPassword ?? ""),
        customData: base64(args.customData),
        windowsConfiguration: {
          provisionVMAgent: true,
          enableAutomaticUpdates: true,
          patchSettings: { patchMode: "AutomaticByPlatform", assessmentMode: "AutomaticByPlatform" },
        },
      };
}
