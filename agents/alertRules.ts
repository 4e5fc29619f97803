// The alert rules `muniops prometheus-config` writes beside prometheus.yml. Thresholds follow the
// node-mixin (kubernetes-monitoring/node-mixin) where it has one; every alert carries the target labels
// (department, service, environment) through, so it can be routed to the owner.

export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: "warning" | "critical" };
  annotations: { summary: string; description: string };
}

/** Filesystems that are read-only by design or not the server's own storage. */
const fsFilter = 'fstype!~"tmpfs|ramfs|squashfs|iso9660"';

export function alertRules(): { groups: { name: string; rules: AlertRule[] }[] } {
  const usedRatio = `(1 - muniops_filesystem_avail_bytes{${fsFilter}} / muniops_filesystem_size_bytes{${fsFilter}})`;
  return {
    groups: [
      {
        name: "muniops-agent",
        rules: [
          {
            alert: "MuniopsAgentDown",
            expr: 'up{job="muniops-agent"} == 0',
            for: "5m",
            labels: { severity: "critical" },
            annotations: { summary: "Agent on {{ $labels.host }} is down", description: "Prometheus cannot scrape the muniops agent on {{ $labels.host }} ({{ $labels.department }}) for 5 minutes." },
          },
          {
            alert: "MuniopsFilesystemAlmostFull",
            expr: `${usedRatio} > 0.85 and ${usedRatio} <= 0.95 and muniops_filesystem_readonly == 0`,
            for: "15m",
            labels: { severity: "warning" },
            annotations: { summary: "{{ $labels.mountpoint }} on {{ $labels.host }} is over 85 % full", description: "{{ $labels.mountpoint }} on {{ $labels.host }} is {{ $value | humanizePercentage }} full." },
          },
          {
            alert: "MuniopsFilesystemFull",
            expr: `${usedRatio} > 0.95 and muniops_filesystem_readonly == 0`,
            for: "5m",
            labels: { severity: "critical" },
            annotations: { summary: "{{ $labels.mountpoint }} on {{ $labels.host }} is over 95 % full", description: "{{ $labels.mountpoint }} on {{ $labels.host }} is {{ $value | humanizePercentage }} full." },
          },
          {
            alert: "MuniopsFilesystemFillingUp",
            // Only when already 60 % used, so a new, nearly empty disk with a burst of writes stays quiet.
            expr: `predict_linear(muniops_filesystem_avail_bytes{${fsFilter}}[6h], 24 * 3600) < 0 and ${usedRatio} > 0.6 and muniops_filesystem_readonly == 0`,
            for: "1h",
            labels: { severity: "warning" },
            annotations: { summary: "{{ $labels.mountpoint }} on {{ $labels.host }} will be full within 24 hours", description: "At the rate of the last 6 hours, {{ $labels.mountpoint }} on {{ $labels.host }} runs out of space within 24 hours." },
          },
          {
            alert: "MuniopsFilesystemReadOnly",
            expr: `muniops_filesystem_readonly{${fsFilter}} == 1`,
            for: "5m",
            labels: { severity: "critical" },
            annotations: { summary: "{{ $labels.mountpoint }} on {{ $labels.host }} is read-only", description: "{{ $labels.mountpoint }} ({{ $labels.device }}) on {{ $labels.host }} is mounted read-only, usually after I/O errors." },
          },
          {
            alert: "MuniopsClockSkew",
            // The agent's clock against Prometheus's own at scrape time.
            expr: "abs(muniops_time_seconds - timestamp(muniops_time_seconds)) > 30",
            for: "10m",
            labels: { severity: "warning" },
            annotations: { summary: "Clock on {{ $labels.host }} is off by more than 30 s", description: "The clock on {{ $labels.host }} differs from Prometheus's by {{ $value | humanizeDuration }}; check NTP." },
          },
        ],
      },
    ],
  };
}
