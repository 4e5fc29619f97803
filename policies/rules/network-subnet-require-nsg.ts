import { stackPolicy } from "../policy.js";
import { ofType, types } from "../lib/graph.js";
import { arrayAt, at, stringAt } from "../lib/props.js";

/** Subnets Azure does not allow an NSG on. */
const exempt = new Set(["GatewaySubnet", "AzureFirewallSubnet", "AzureFirewallManagementSubnet", "RouteServerSubnet"]);

export default stackPolicy({
  name: "network-subnet-require-nsg",
  displayName: "Every subnet has a network security group",
  description:
    "Each subnet (inline in a VirtualNetwork or a Subnet resource) is associated with an NSG; Azure's " +
    "gateway and firewall subnets are exempt.",
  severity: "high",
  enforcementLevel: "advisory",
  bioControls: ["U.07.1"],
  bio2Measures: ["8.22.01"],
  bio2Partial: ["8.22.01"],
  isoControls: ["8.20", "8.22"],
  remediationSteps: "Set `networkSecurityGroup: { id: nsg.id }` on the subnet.",
  validateStack(args, reportViolation) {
    const check = (name: string, subnet: unknown, urn: string): void => {
      if (exempt.has(name)) return;
      if (at(subnet, "networkSecurityGroup") === undefined)
        reportViolation(`subnet ${name} has no network security group; associate one (networkSecurityGroup.id)`, urn);
    };
    for (const vnet of ofType(args.resources, types.virtualNetwork)) {
      arrayAt(vnet.props, "subnets").forEach((subnet, index) => {
        check(stringAt(subnet, "name") ?? `${vnet.name}.subnets[${index}]`, subnet, vnet.urn);
      });
    }
    for (const subnet of ofType(args.resources, types.subnet)) {
      check(
        stringAt(subnet.props, "subnetName") ?? stringAt(subnet.props, "name") ?? subnet.name,
        subnet.props,
        subnet.urn,
      );
    }
  },
});
