import { resourcePolicy } from "../policy.js";
import { arrayAt, at, stringAt } from "../lib/props.js";

export default resourcePolicy({
  name: "network-networkinterface-disallow-public-ip",
  displayName: "Network interfaces have no public IP address",
  description:
    "Servers are reached through the hub (firewall, Application Gateway, Bastion), never directly: no NIC " +
    "carries a public IP.",
  severity: "high",
  enforcementLevel: "mandatory",
  bioControls: ["U.07.1", "U.12.2"],
  bio2Measures: ["8.21.02", "8.20.02"],
  bio2Partial: ["8.21.02", "8.20.02"],
  isoControls: ["8.20", "8.21"],
  remediationSteps:
    "Remove `publicIPAddress` from the NIC's ipConfigurations; publish the service through the Application " +
    "Gateway or the firewall.",
  resourceTypes: ["azure-native:network:NetworkInterface"],
  validateResource(args, reportViolation) {
    arrayAt(args.props, "ipConfigurations").forEach((config, index) => {
      if (at(config, "publicIPAddress") !== undefined) {
        const label = stringAt(config, "name") ?? `ipConfigurations[${index}]`;
        reportViolation(
          `${label} has a public IP address; remove publicIPAddress and publish the service through the hub`,
        );
      }
    });
  },
});
