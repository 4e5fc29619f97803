// The NSG rules of the spokes, kept apart from the program so they can be read and tested as data: every
// workload subnet admits administration from Bastion and the agent's scrape from the monitoring subnet;
// the digital counter's Application Gateway subnet takes HTTPS from the Internet and Azure's management
// traffic, and its web subnet HTTPS from the gateway only.
import type { SecurityRule } from "./components/spoke.js";
import type { StackConfig } from "./config.js";

export function spokeSecurityRules(net: StackConfig["network"], agentPort: number) {
  const bastionSubnet = net.hub.subnets.AzureBastionSubnet ?? net.hub.addressSpace;
  const monitoringSubnet = net.management.subnets.monitoring ?? net.management.addressSpace;
  const appGatewaySubnet = net.digitalCounter.subnets.appGateway ?? net.digitalCounter.addressSpace;
  const workloadRules = (extra: SecurityRule[] = []): SecurityRule[] => [
    ...extra,
    {
      name: "allow-bastion-admin",
      priority: 200,
      direction: "Inbound",
      access: "Allow",
      protocol: "Tcp",
      sourceAddressPrefix: bastionSubnet,
      sourcePortRange: "*",
      destinationAddressPrefix: "VirtualNetwork",
      destinationPortRanges: ["22", "3389"],
    },
    {
      name: "allow-agent-scrape",
      priority: 210,
      direction: "Inbound",
      access: "Allow",
      protocol: "Tcp",
      sourceAddressPrefix: monitoringSubnet,
      sourcePortRange: "*",
      destinationAddressPrefix: "VirtualNetwork",
      destinationPortRange: String(agentPort),
    },
  ];
  const digitalCounter = (subnet: string): SecurityRule[] =>
    subnet === "appGateway"
      ? [
          {
            name: "allow-https-from-internet",
            priority: 100,
            direction: "Inbound",
            access: "Allow",
            protocol: "Tcp",
            sourceAddressPrefix: "Internet",
            sourcePortRange: "*",
            destinationAddressPrefix: appGatewaySubnet,
            destinationPortRange: "443",
          },
          {
            name: "allow-gateway-manager",
            priority: 110,
            direction: "Inbound",
            access: "Allow",
            protocol: "Tcp",
            sourceAddressPrefix: "GatewayManager",
            sourcePortRange: "*",
            destinationAddressPrefix: "*",
            destinationPortRange: "65200-65535",
          },
          {
            name: "allow-load-balancer",
            priority: 120,
            direction: "Inbound",
            access: "Allow",
            protocol: "*",
            sourceAddressPrefix: "AzureLoadBalancer",
            sourcePortRange: "*",
            destinationAddressPrefix: "*",
            destinationPortRange: "*",
          },
        ]
      : workloadRules(
          subnet === "web"
            ? [
                {
                  name: "allow-https-from-gateway",
                  priority: 100,
                  direction: "Inbound",
                  access: "Allow",
                  protocol: "Tcp",
                  sourceAddressPrefix: appGatewaySubnet,
                  sourcePortRange: "*",
                  destinationAddressPrefix: "VirtualNetwork",
                  destinationPortRange: "443",
                },
              ]
            : [],
        );
  return { workload: (): SecurityRule[] => workloadRules(), digitalCounter };
}
