// The VM sizes central ICT offers, with the vCPUs and memory Azure publishes for each
// (learn.microsoft.com, "Sizes for virtual machines in Azure"). The inventory and the chargeback take
// vCPUs and memory from here, so a size is offered only once it is in this table. Every size listed
// supports encryption at host, trusted launch and premium storage (the "s" in the name).

export interface VmSize {
  vcpus: number;
  memoryGiB: number;
}

export const vmSizes: Readonly<Record<string, VmSize>> = {
  Standard_B2s: { vcpus: 2, memoryGiB: 4 },
  Standard_B2ms: { vcpus: 2, memoryGiB: 8 },
  Standard_B4ms: { vcpus: 4, memoryGiB: 16 },
  Standard_D2s_v5: { vcpus: 2, memoryGiB: 8 },
  Standard_D4s_v5: { vcpus: 4, memoryGiB: 16 },
  Standard_D8s_v5: { vcpus: 8, memoryGiB: 32 },
  Standard_D16s_v5: { vcpus: 16, memoryGiB: 64 },
  Standard_D2as_v5: { vcpus: 2, memoryGiB: 8 },
  Standard_D4as_v5: { vcpus: 4, memoryGiB: 16 },
  Standard_E2s_v5: { vcpus: 2, memoryGiB: 16 },
  Standard_E4s_v5: { vcpus: 4, memoryGiB: 32 },
  Standard_E8s_v5: { vcpus: 8, memoryGiB: 64 },
  Standard_E16s_v5: { vcpus: 16, memoryGiB: 128 },
  Standard_F4s_v2: { vcpus: 4, memoryGiB: 8 },
  Standard_F8s_v2: { vcpus: 8, memoryGiB: 16 },
};

export function vmSize(name: string): VmSize | undefined {
  return Object.hasOwn(vmSizes, name) ? vmSizes[name] : undefined;
}
