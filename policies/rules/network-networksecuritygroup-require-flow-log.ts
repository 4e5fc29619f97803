import type { PolicyResource } from "@pulumi/policy";
import { stackPolicy } from "../policy.js";
import { dependsOn, ofType, types } from "../lib/graph.js";

export default stackPolicy({
  name: "network-networksecuritygroup-require-flow-log",
  displayName: "Every NSG's traffic is flow-logged",
  description:
    "Each network security group has a flow log, either on the NSG itself or on the virtual network whose " +
    "subnets use it.",
  severity: "medium",
  enforcementLevel: "advisory",
  bioControls: ["U.15.1"],
  bio2Measures: ["8.16.04"],
  bio2Partial: ["8.16.04"],
  isoControls: ["8.15", "8.16"],
  cisAzure: ["6.5"],
  remediationSteps:
    "Add a network FlowLog (Network Watcher) with `targetResourceId` = the NSG or its virtual network, " +
    "retention >= 90 days.",
  validateStack(args, reportViolation) {
    const flowLogs = ofType(args.resources, types.flowLog);
    const vnets = ofType(args.resources, types.virtualNetwork);
    const subnets = ofType(args.resources, types.subnet);
    const loggedVnets = vnets.filter((vnet) => flowLogs.some((log) => dependsOn(log, vnet)));
    const coveredByVnet = (nsg: PolicyResource): boolean =>
      loggedVnets.some(
        (vnet) => dependsOn(vnet, nsg) || subnets.some((subnet) => dependsOn(subnet, vnet) && dependsOn(subnet, nsg)),
      );
    for (const nsg of ofType(args.resources, types.networkSecurityGroup)) {
      if (flowLogs.some((log) => dependsOn(log, nsg)) || coveredByVnet(nsg)) continue;
      reportViolation(
        `network security group ${nsg.name} has no flow log; add a FlowLog targeting it or its virtual network`,
        nsg.urn,
      );
    }
  },
});
