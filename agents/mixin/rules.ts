// The mixin's Prometheus rules: alerts and recording rules, built from config.ts. `muniops prometheus-config`
// writes them beside prometheus.yml; rendered/ holds the same as plain YAML for a hand-made Prometheus.
// Every alert carries the target labels (department, service, environment, host) through, so it can be
// routed to the owner, and a runbook_url to its section of runbook.md.
import { mixinConfig, type MixinConfig } from "./config.js";
import { agentMetrics } from "../../contracts/metrics.js";

export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: "warning" | "critical" };
  annotations: { summary: string; description: string; runbook_url: string };
}

export interface RecordingRule {
  record: string;
  expr: string;
}

export interface RuleGroups {
  groups: { name: string; interval?: string; rules: (AlertRule | RecordingRule)[] }[];
}

const percent = (ratio: number): string => `${Math.round(ratio * 100)} %`;
const days = (n: number): string => `${n * 86400}`;

/** Alerts without their runbook_url, which is derived from the name. */
type AlertSpec = Omit<AlertRule, "annotations"> & { annotations: { summary: string; description: string } };

/**
 * Every alert, grouped by concern. The groups are concatenated in this order, which is the order of the
 * rendered rules file, so moving an alert between groups changes the rendered output.
 */
export function alertSpecs(c: MixinConfig = mixinConfig): AlertSpec[] {
  return [
    ...availabilityAlerts(c),
    ...filesystemAlerts(c),
    ...networkErrorAlerts(c),
    ...saturationAlerts(c),
    ...clockAlerts(c),
    ...resourceAlerts(c),
    ...patchingAlerts(c),
    ...textfileAlerts(),
  ];
}

/** Whether the agent and each of its collectors can be scraped at all. */
function availabilityAlerts(c: MixinConfig): AlertSpec[] {
  return [
    {
      alert: "MuniopsAgentDown",
      expr: `up{job="${c.agentJob}"} == 0`,
      for: "5m",
      labels: { severity: "critical" },
      annotations: {
        summary: "Agent on {{ $labels.host }} is down",
        description:
          "Prometheus cannot scrape the muniops agent on {{ $labels.host }} ({{ $labels.department }}) for 5 minutes.",
      },
    },
    {
      alert: "MuniopsCollectorFailing",
      expr: `${agentMetrics.scrapeCollectorSuccess.name} == 0`,
      for: "15m",
      labels: { severity: "warning" },
      annotations: {
        summary: "Collector {{ $labels.collector }} on {{ $labels.host }} is failing",
        description:
          "The {{ $labels.collector }} collector on {{ $labels.host }} has failed or timed out for 15 " +
          "minutes; its series are missing.",
      },
    },
  ];
}

/** Space, inodes and read-only mounts; pseudo and ignored filesystem types are left out. */
function filesystemAlerts(c: MixinConfig): AlertSpec[] {
  const fsFilter = `fstype!~"${c.fsTypesIgnored}"`;
  const usedRatio =
    `(1 - ${agentMetrics.filesystemAvailBytes.name}{${fsFilter}} / ` +
    `${agentMetrics.filesystemSizeBytes.name}{${fsFilter}})`;
  const fs = c.filesystem;
  const where = "{{ $labels.mountpoint }} on {{ $labels.host }}";
  return [
    {
      alert: "MuniopsFilesystemAlmostFull",
      expr:
        `${usedRatio} > ${fs.almostFullRatio} and ${usedRatio} <= ${fs.fullRatio} and ` +
        `${agentMetrics.filesystemReadonly.name} == 0`,
      for: "15m",
      labels: { severity: "warning" },
      annotations: {
        summary: `${where} is over ${percent(fs.almostFullRatio)} full`,
        description: `${where} is {{ $value | humanizePercentage }} full.`,
      },
    },
    {
      alert: "MuniopsFilesystemFull",
      expr: `${usedRatio} > ${fs.fullRatio} and ${agentMetrics.filesystemReadonly.name} == 0`,
      for: "5m",
      labels: { severity: "critical" },
      annotations: {
        summary: `${where} is over ${percent(fs.fullRatio)} full`,
        description: `${where} is {{ $value | humanizePercentage }} full.`,
      },
    },
    {
      alert: "MuniopsFilesystemFillingUp",
      // Only when already this full, so a new, nearly empty disk with a burst of writes stays quiet.
      expr:
        `predict_linear(${agentMetrics.filesystemAvailBytes.name}{${fsFilter}}[6h], ${fs.fillingUpHours} * 3600) < 0` +
        ` and ${usedRatio} > ${fs.fillingUpMinUsedRatio} and ${agentMetrics.filesystemReadonly.name} == 0`,
      for: "1h",
      labels: { severity: "warning" },
      annotations: {
        summary: `${where} will be full within ${fs.fillingUpHours} hours`,
        description: `At the rate of the last 6 hours, ${where} runs out of space within ${fs.fillingUpHours} hours.`,
      },
    },
    {
      alert: "MuniopsFilesystemOutOfInodes",
      expr:
        `${agentMetrics.filesystemFilesFree.name}{${fsFilter}} / ` +
        `${agentMetrics.filesystemFiles.name}{${fsFilter}} < ${fs.inodesFreeRatio}` +
        ` and ${agentMetrics.filesystemReadonly.name} == 0`,
      for: "15m",
      labels: { severity: "critical" },
      annotations: {
        summary: `${where} has under ${percent(fs.inodesFreeRatio)} of its inodes left`,
        description:
          `${where} has {{ $value | humanizePercentage }} of its inodes free; new files will fail ` +
          `before the space runs out.`,
      },
    },
    {
      alert: "MuniopsFilesystemReadOnly",
      expr: `${agentMetrics.filesystemReadonly.name}{${fsFilter}} == 1`,
      for: "5m",
      labels: { severity: "critical" },
      annotations: {
        summary: `${where} is read-only`,
        description:
          "{{ $labels.mountpoint }} ({{ $labels.device }}) on {{ $labels.host }} is mounted read-only, " +
          "usually after I/O errors.",
      },
    },
  ];
}

/** Receive and transmit errors per interface, one alert per direction. */
function networkErrorAlerts(c: MixinConfig): AlertSpec[] {
  return [
    ...(["receive", "transmit"] as const).map((direction): AlertSpec => ({
      alert: direction === "receive" ? "MuniopsNetworkReceiveErrors" : "MuniopsNetworkTransmitErrors",
      expr:
        `rate(muniops_network_${direction}_errors_total[2m]) / rate(muniops_network_${direction}_packets_total[2m])` +
        ` > ${c.network.errorRatio}`,
      for: "1h",
      labels: { severity: "warning" },
      annotations: {
        summary: `{{ $labels.device }} on {{ $labels.host }} has ${direction} errors`,
        description:
          `{{ $labels.device }} on {{ $labels.host }} has had {{ $value | humanizePercentage }} ` +
          `${direction} errors for an hour.`,
      },
    })),
  ];
}

/** Queues and tables that degrade a host before they overflow: disk I/O and connection tracking. */
function saturationAlerts(c: MixinConfig): AlertSpec[] {
  return [
    {
      alert: "MuniopsDiskIOSaturated",
      // Weighted I/O time grows by the number of I/Os in flight each second: its rate is the average queue.
      expr: `rate(muniops_disk_io_time_weighted_seconds_total[5m]) > ${c.disk.ioQueueLength}`,
      for: "30m",
      labels: { severity: "warning" },
      annotations: {
        summary: "{{ $labels.device }} on {{ $labels.host }} is saturated",
        description:
          "{{ $labels.device }} on {{ $labels.host }} has had {{ $value | humanize }} I/Os queued on average " +
          "for 30 minutes; its latency is high.",
      },
    },
    {
      alert: "MuniopsConntrackAlmostFull",
      expr: `muniops_nf_conntrack_entries / muniops_nf_conntrack_entries_limit > ${c.conntrack.usedRatio}`,
      for: "5m",
      labels: { severity: "warning" },
      annotations: {
        summary:
          "The connection tracking table on {{ $labels.host }} is over " + percent(c.conntrack.usedRatio) + " full",
        description:
          "{{ $value | humanizePercentage }} of the conntrack table on {{ $labels.host }} is used; when full, " +
          "new connections are dropped.",
      },
    },
  ];
}

/** The host's clock against Prometheus's, and whether it synchronises at all. */
function clockAlerts(c: MixinConfig): AlertSpec[] {
  return [
    {
      alert: "MuniopsClockSkew",
      // The agent's clock against Prometheus's own at scrape time: the offset, whatever keeps the agent's time.
      expr:
        `abs(${agentMetrics.timeSeconds.name} - timestamp(${agentMetrics.timeSeconds.name})) > ` +
        `${c.clock.skewSeconds}`,
      for: "10m",
      labels: { severity: "warning" },
      annotations: {
        summary: `Clock on {{ $labels.host }} is off by more than ${c.clock.skewSeconds} s`,
        description:
          "The clock on {{ $labels.host }} differs from Prometheus's by {{ $value | humanizeDuration }}; check NTP.",
      },
    },
    {
      alert: "MuniopsClockNotSynchronising",
      expr: "min_over_time(muniops_timex_sync_status[5m]) == 0",
      for: "10m",
      labels: { severity: "warning" },
      annotations: {
        summary: "Clock on {{ $labels.host }} is not synchronising",
        description:
          "systemd-timesyncd on {{ $labels.host }} reports the clock unsynchronised for 10 minutes; check its " +
          "NTP servers.",
      },
    },
  ];
}

/** Kernel file handles and memory, the resources whose exhaustion stops a host. */
function resourceAlerts(c: MixinConfig): AlertSpec[] {
  return [
    {
      alert: "MuniopsFileDescriptorsAlmostExhausted",
      expr: `muniops_filefd_allocated / muniops_filefd_maximum > ${c.fileDescriptors.usedRatio}`,
      for: "15m",
      labels: { severity: "warning" },
      annotations: {
        summary: `{{ $labels.host }} has used over ${percent(c.fileDescriptors.usedRatio)} of its file handles`,
        description:
          "{{ $value | humanizePercentage }} of the kernel's file handles on {{ $labels.host }} are allocated.",
      },
    },
    {
      alert: "MuniopsMemoryAlmostExhausted",
      expr:
        `${agentMetrics.memoryAvailableBytes.name} / ${agentMetrics.memoryTotalBytes.name} < ` +
        `${c.memory.availableRatio}`,
      for: "15m",
      labels: { severity: "warning" },
      annotations: {
        summary: `{{ $labels.host }} has under ${percent(c.memory.availableRatio)} of its memory available`,
        description:
          "Only {{ $value | humanizePercentage }} of the memory on {{ $labels.host }} is available; the OOM " +
          "killer is near.",
      },
    },
    {
      alert: "MuniopsMemoryMajorPageFaults",
      expr: `rate(muniops_vmstat_major_page_faults_total[5m]) > ${c.memory.majorPageFaultsPerSecond}`,
      for: "15m",
      labels: { severity: "warning" },
      annotations: {
        summary: "{{ $labels.host }} is under memory pressure",
        description:
          "{{ $labels.host }} reads {{ $value | humanize }} pages a second back from disk (major page faults).",
      },
    },
  ];
}

/** The patch rule (BIO2 8.08.01): pending security updates, the check behind them and pending reboots. */
function patchingAlerts(c: MixinConfig): AlertSpec[] {
  return [
    {
      alert: "MuniopsSecurityUpdatePendingTooLong",
      expr: `${agentMetrics.updatesSecurityOldestAgeSeconds.name} > ${days(c.patch.securityPendingDays)}`,
      for: "0m",
      labels: { severity: "critical" },
      annotations: {
        summary: `{{ $labels.host }} has a security update pending for more than ${c.patch.securityPendingDays} days`,
        description:
          `The oldest pending security update on {{ $labels.host }} ({{ $labels.department }}) has waited {{ ` +
          `$value | humanizeDuration }}` +
          `; BIO2 8.08.01 asks for mitigation within ${c.patch.securityPendingDays} days (or a recorded waiver).`,
      },
    },
    {
      alert: "MuniopsPatchCheckFailing",
      expr:
        `${agentMetrics.updatesCheckSuccess.name} == 0 or ` +
        `time() - ${agentMetrics.updatesLastSuccessTimestampSeconds.name} > ` +
        `${c.patch.checkStaleHours * 3600}`,
      for: "1h",
      labels: { severity: "warning" },
      annotations: {
        summary: "The patch check on {{ $labels.host }} is failing",
        description:
          "The agent on {{ $labels.host }} cannot tell its pending updates; the patch rule cannot be evidenced for it.",
      },
    },
    {
      alert: "MuniopsRebootPendingTooLong",
      expr: `${agentMetrics.rebootRequiredAgeSeconds.name} > ${days(c.patch.rebootPendingDays)}`,
      for: "0m",
      labels: { severity: "warning" },
      annotations: {
        summary: `{{ $labels.host }} has needed a reboot for more than ${c.patch.rebootPendingDays} days`,
        description:
          "{{ $labels.host }} has needed a reboot for {{ $value | humanizeDuration }}; installed updates are " +
          "not active until it restarts.",
      },
    },
    ...patchShareAlerts(c),
  ];
}

/**
 * The patch rule's share of servers, per department and fleet-wide (as the recording rules give it). Prometheus
 * cannot see waivers: a waived server counts against the share here, while the dashboard's patch page
 * counts it as mitigated; the alert asks for a look, the page is the BIO2 8.08.01 evidence.
 */
function patchShareAlerts(c: MixinConfig): AlertSpec[] {
  const min = c.patch.minShareWithinRule;
  // On the series, not the recording rules: an alert must not depend on the order the groups are evaluated in.
  const within = `${agentMetrics.updatesSecurityOldestAgeSeconds.name} <= bool ${days(c.patch.securityPendingDays)}`;
  const why =
    `; BIO2 8.08.01 asks for security updates within ${c.patch.securityPendingDays} days. Waived servers ` +
    "count against this share; the dashboard's patch page shows which are mitigated.";
  return [
    {
      alert: "MuniopsDepartmentPatchRuleShareLow",
      expr: `avg by (department) (${within}) < ${min}`,
      for: "1h",
      labels: { severity: "warning" },
      annotations: {
        summary: `Fewer than ${percent(min)} of {{ $labels.department }}'s servers are within the patch rule`,
        description:
          `{{ $value | humanizePercentage }} of {{ ` + `$labels.department }}'s servers are within the ` + `rule${why}`,
      },
    },
    {
      alert: "MuniopsFleetPatchRuleShareLow",
      expr: `avg(${within}) < ${min}`,
      for: "1h",
      labels: { severity: "warning" },
      annotations: {
        summary: `Fewer than ${percent(min)} of all servers are within the patch rule`,
        description: `{{ $value | humanizePercentage }} of all servers are within the rule${why}`,
      },
    },
  ];
}

/** The textfile collector's input, which carries the licence and backup metrics. */
function textfileAlerts(): AlertSpec[] {
  return [
    {
      alert: "MuniopsTextfileErrors",
      expr: `${agentMetrics.textfileScrapeError.name} == 1`,
      for: "15m",
      labels: { severity: "warning" },
      annotations: {
        summary: "A textfile on {{ $labels.host }} cannot be read",
        description:
          "The agent on {{ $labels.host }} skips a malformed or unreadable *.prom file; its metrics " +
          "(licences, backups) are missing.",
      },
    },
  ];
}

export function runbookUrl(alert: string, c: MixinConfig = mixinConfig): string {
  return `${c.runbookBaseUrl}#${alert.toLowerCase()}`;
}

export function alertRules(c: MixinConfig = mixinConfig): AlertRule[] {
  return alertSpecs(c).map((spec) => ({
    ...spec,
    annotations: { ...spec.annotations, runbook_url: runbookUrl(spec.alert, c) },
  }));
}

/** Precomputed series for the dashboards and for metering's department views. */
export function recordingRules(c: MixinConfig = mixinConfig): RecordingRule[] {
  const fsFilter = `fstype!~"${c.fsTypesIgnored}"`;
  return [
    {
      record: "instance:muniops_cpu_utilisation:rate5m",
      // node-mixin's instance:node_cpu_utilisation:rate5m: time not idle, waiting for I/O or stolen.
      expr:
        "1 - avg without (cpu) (sum without (mode) " +
        `(rate(${agentMetrics.cpuSeconds.name}{mode=~"idle|iowait|steal"}[5m])))`,
    },
    {
      record: "instance:muniops_memory_utilisation:ratio",
      expr: `1 - ${agentMetrics.memoryAvailableBytes.name} / ${agentMetrics.memoryTotalBytes.name}`,
    },
    {
      record: "instance:muniops_filesystem_used:ratio",
      expr:
        `1 - ${agentMetrics.filesystemAvailBytes.name}{${fsFilter}} / ` +
        `${agentMetrics.filesystemSizeBytes.name}{${fsFilter}}`,
    },
    {
      record: "instance:muniops_network_receive_bytes:rate5m",
      expr: `sum without (device) (rate(${agentMetrics.networkReceiveBytes.name}{device!="lo"}[5m]))`,
    },
    {
      record: "instance:muniops_network_transmit_bytes:rate5m",
      expr: `sum without (device) (rate(${agentMetrics.networkTransmitBytes.name}{device!="lo"}[5m]))`,
    },
    {
      record: "instance:muniops_disk_io_time_seconds:rate5m",
      expr: `sum without (device) (rate(${agentMetrics.diskIoTimeSeconds.name}[5m]))`,
    },
    { record: "department:muniops_agent_up:ratio", expr: `avg by (department) (up{job="${c.agentJob}"})` },
    {
      record: "department:muniops_updates_security_pending:sum",
      expr: `sum by (department) (${agentMetrics.updatesPending.name}{kind="security"})`,
    },
    {
      record: "department:muniops_hosts_patch_rule_breached:count",
      expr:
        `count by (department) (${agentMetrics.updatesSecurityOldestAgeSeconds.name} > ` +
        `${days(c.patch.securityPendingDays)})`,
    },
    {
      record: "department:muniops_hosts_patch_rule_met:ratio",
      expr:
        `avg by (department) (${agentMetrics.updatesSecurityOldestAgeSeconds.name} <= bool ` +
        `${days(c.patch.securityPendingDays)})`,
    },
    {
      record: "fleet:muniops_hosts_patch_rule_met:ratio",
      expr: `avg(${agentMetrics.updatesSecurityOldestAgeSeconds.name} <= bool ${days(c.patch.securityPendingDays)})`,
    },
    {
      record: "department:muniops_hosts_reboot_required:count",
      expr: `count by (department) (${agentMetrics.rebootRequired.name} == 1)`,
    },
  ];
}

export function ruleGroups(c: MixinConfig = mixinConfig): RuleGroups {
  return {
    groups: [
      { name: "muniops-agent", rules: alertRules(c) },
      { name: "muniops-agent.records", rules: recordingRules(c) },
    ],
  };
}
