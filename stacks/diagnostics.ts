// Diagnostic settings that send a resource's logs and metrics to the central Log Analytics workspace
// (BIO U.15.1). Called from the constructor of the component that owns the resource, with that
// component as parent, so the setting appears next to what it watches.
import { DiagnosticSetting } from "@pulumi/azure-native/monitor/diagnosticSetting.js";
import type * as pulumi from "@pulumi/pulumi";

export interface DiagnosticsArgs {
  resourceUri: pulumi.Input<string>;
  workspaceId: pulumi.Input<string>;
  /** Send all log categories (false for resources that only emit metrics, like a storage account). */
  logs?: boolean;
  /** Send AllMetrics (false for resources without metrics, like an NSG). */
  metrics?: boolean;
}

export function sendDiagnostics(name: string, args: DiagnosticsArgs, parent: pulumi.Resource): DiagnosticSetting {
  return new DiagnosticSetting(
    name,
    {
      name: "to-central-workspace",
      resourceUri: args.resourceUri,
      workspaceId: args.workspaceId,
      logAnalyticsDestinationType: "Dedicated",
      logs: args.logs === false ? [] : [{ categoryGroup: "allLogs", enabled: true }],
      metrics: args.metrics === false ? [] : [{ category: "AllMetrics", enabled: true }],
    },
    { parent },
  );
}
