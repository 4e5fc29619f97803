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

export class DepartmentServer extends pulumi.ComponentResource implements TagOwner {
  readonly ownerTags: OwnerTags;
  readonly vmId: pulumi.Output<string>;
  readonly privateIpAddress: string;

  constructor(name: string, args: DepartmentServerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("muniops:compute:DepartmentServer", name, {}, opts);
    const { spec } = args;
    this.ownerTags = { department: spec.department, costCenter: args.costCenter, service: spec.service };

    const nic = new NetworkInterface(
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

    const linux = spec.os === "linux";
    const windowsPassword = args.admin.windowsPassword;
    if (!linux && windowsPassword === undefined)
      throw new Error(`server ${spec.name} is Windows but no admin password was given`);
    const osProfile: VirtualMachineArgs["osProfile"] = linux
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

    const vm = new VirtualMachine(
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

    if (!linux) {
      // Windows doesn't run custom data itself; the Custom Script Extension runs the install script.
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
          settings: {
            commandToExecute:
              'powershell -ExecutionPolicy Bypass -NoProfile -Command "Copy-Item C:\\AzureData\\CustomData.bin C:\\AzureData\\install-muniops-agent.ps1; & C:\\AzureData\\install-muniops-agent.ps1"',
          },
        },
        { parent: this },
      );
    }

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

    this.vmId = vm.id;
    this.privateIpAddress = spec.address;
    this.registerOutputs({ vmId: this.vmId, privateIpAddress: this.privateIpAddress });
  }
}
