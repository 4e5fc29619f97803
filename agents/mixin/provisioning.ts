// Grafana file provisioning for the mixin: a Prometheus data source and a dashboard provider that loads
// rendered/dashboards/ (copy them to the path below, or mount the directory there).
export const grafanaDashboardsPath = "/var/lib/grafana/dashboards/muniops";

export function datasourceProvisioning(prometheusUrl = "http://localhost:9090"): Record<string, unknown> {
  return {
    apiVersion: 1,
    datasources: [
      { name: "Prometheus", type: "prometheus", access: "proxy", url: prometheusUrl, isDefault: true, editable: false },
    ],
  };
}

export function dashboardProvisioning(): Record<string, unknown> {
  return {
    apiVersion: 1,
    providers: [
      {
        name: "muniops",
        folder: "muniops",
        type: "file",
        disableDeletion: true,
        allowUiUpdates: false,
        updateIntervalSeconds: 60,
        options: { path: grafanaDashboardsPath, foldersFromFilesStructure: false },
      },
    ],
  };
}
