// The agent's metric names, types and help texts, typed once for every part that writes or reads them: the
// agent's collectors (agents/collectors), agentless collection (agents/agentless), the fleet simulator
// (agents/simulator), the alert and recording rules (agents/mixin) and metering (dashboard/metering). Like
// prom-client's `metricNames` for its default metrics: a series renamed on one side only would silently meter
// nothing, and a help text reworded in one writer would make the same series describe itself differently
// depending on who served it. The table is the floor metering relies on (the README's agent metrics), the
// patch state and the few collector series the rules read; a collector's other series stay in its own file.
// Names follow Prometheus conventions and pass `promtool check metrics`: base units, counters end in _total.

export interface MetricDefinition {
  readonly name: string;
  readonly type: "counter" | "gauge" | "histogram";
  readonly help: string;
}

// Generic in the name, so a table of columns built from these entries (netdev's) keeps each literal name.
function counter<Name extends string>(name: Name, help: string) {
  return { name, type: "counter", help } as const;
}

function gauge<Name extends string>(name: Name, help: string) {
  return { name, type: "gauge", help } as const;
}

export const agentMetrics = {
  // cpu, loadavg, memory
  cpuSeconds: counter("muniops_cpu_seconds_total", "Seconds the CPUs spent in each mode."),
  load1: gauge("muniops_load1", "1m load average."),
  load5: gauge("muniops_load5", "5m load average."),
  load15: gauge("muniops_load15", "15m load average."),
  memoryTotalBytes: gauge("muniops_memory_total_bytes", "Total usable memory."),
  memoryAvailableBytes: gauge("muniops_memory_available_bytes", "Memory available for new work without swapping."),

  // filesystem: labels device, fstype, mountpoint
  filesystemSizeBytes: gauge("muniops_filesystem_size_bytes", "Filesystem size in bytes."),
  filesystemFreeBytes: gauge(
    "muniops_filesystem_free_bytes",
    "Filesystem free space in bytes, including space reserved for root.",
  ),
  filesystemAvailBytes: gauge(
    "muniops_filesystem_avail_bytes",
    "Filesystem space available to unprivileged users in bytes.",
  ),
  filesystemFiles: gauge("muniops_filesystem_files", "Filesystem total file nodes."),
  filesystemFilesFree: gauge("muniops_filesystem_files_free", "Filesystem free file nodes."),
  filesystemReadonly: gauge(
    "muniops_filesystem_readonly",
    "Whether the filesystem is mounted read-only (1) or not (0).",
  ),

  // diskstats and netdev: label device
  diskReadBytes: counter("muniops_disk_read_bytes_total", "Bytes read from the device."),
  diskWrittenBytes: counter("muniops_disk_written_bytes_total", "Bytes written to the device."),
  diskIoTimeSeconds: counter("muniops_disk_io_time_seconds_total", "Seconds the device spent doing I/O."),
  networkReceiveBytes: counter("muniops_network_receive_bytes_total", "Bytes received."),
  networkTransmitBytes: counter("muniops_network_transmit_bytes_total", "Bytes transmitted."),

  // time, os, the agent itself
  timeSeconds: gauge("muniops_time_seconds", "System time in seconds since the epoch."),
  bootTimeSeconds: gauge("muniops_boot_time_seconds", "Boot time in seconds since the epoch."),
  osInfo: gauge("muniops_os_info", "Operating system identity; the value is always 1."),
  agentBuildInfo: gauge(
    "muniops_agent_build_info",
    "The agent's version and the Node.js version it runs on; the value is always 1.",
  ),
  scrapeCollectorSuccess: gauge(
    "muniops_scrape_collector_success",
    "Whether a collector succeeded in this scrape (1) or failed or timed out (0).",
  ),
  scrapeCollectorDurationSeconds: gauge(
    "muniops_scrape_collector_duration_seconds",
    "How long a collector took in this scrape.",
  ),
  textfileScrapeError: gauge(
    "muniops_textfile_scrape_error",
    "1 if any textfile (or the directory) could not be read or parsed, else 0.",
  ),

  // patch state (the updates collector): the BIO patch rule's alerts and dashboards read these
  updatesLastSuccessTimestampSeconds: gauge(
    "muniops_updates_last_success_timestamp_seconds",
    "When the last patch check succeeded, in seconds since the epoch.",
  ),
  updatesCheckSuccess: gauge(
    "muniops_updates_check_success",
    "Whether the last patch check succeeded (1) or failed (0).",
  ),
  updatesCheckDurationSeconds: gauge("muniops_updates_check_duration_seconds", "How long the last patch check took."),
  updatesPending: gauge("muniops_updates_pending", "Updates pending, by kind: security or other."),
  updatesHeld: gauge(
    "muniops_updates_held",
    "Updates held back on purpose (apt hold, dnf versionlock, hidden Windows update).",
  ),
  updatesSecurityOldestAgeSeconds: gauge(
    "muniops_updates_security_oldest_age_seconds",
    "Seconds since the oldest pending security update was first seen pending (0 when none is pending).",
  ),
  rebootRequired: gauge(
    "muniops_reboot_required",
    "Whether the system says a reboot is required to finish updates (1) or not (0).",
  ),
  rebootRequiredAgeSeconds: gauge(
    "muniops_reboot_required_age_seconds",
    "Seconds since a reboot became required (0 when none is).",
  ),

  // served by the fleet simulator only, on every simulated target
  simulated: gauge(
    "muniops_simulated",
    "1: this target is the muniops fleet simulator serving synthetic metrics for an inventory host " +
      "(muniops demo), not a real agent.",
  ),
} as const satisfies Record<string, MetricDefinition>;

function histogram<Name extends string>(name: Name, help: string) {
  return { name, type: "histogram", help } as const;
}

// The dashboard's own metrics (its /metrics, dashboard/server/dashboardMetrics.ts), read by the mixin's
// dashboard alerts. The ledger's figures are the same on every instance (alert on their max); the request and
// login counters are each instance's own (sum them).
export const dashboardMetrics = {
  httpRequests: counter(
    "muniops_dashboard_http_requests_total",
    "HTTP requests answered, by method, route (the route's pattern, not the path asked for) and status code.",
  ),
  httpRequestDurationSeconds: histogram(
    "muniops_dashboard_http_request_duration_seconds",
    "Time from receiving a request to the end of its answer, by method and route.",
  ),
  loginFailures: counter(
    "muniops_dashboard_login_failures_total",
    "Password logins refused, by reason: credentials (unknown user, wrong password, disabled) or throttled.",
  ),
  meteringLagSeconds: gauge(
    "muniops_dashboard_metering_lag_seconds",
    "How far metering is behind: the full hours after the last hour the ledger has metered, in seconds " +
      "(0 when up to date).",
  ),
  meteringLastSuccessTimestampSeconds: gauge(
    "muniops_dashboard_metering_last_success_timestamp_seconds",
    "When this instance's last metering run ended without error, in seconds since the epoch.",
  ),
  meteringLeader: gauge(
    "muniops_dashboard_metering_leader",
    "Whether this instance runs the scheduled work (metering, session purge): 1, or 0 while another does.",
  ),
  meteringGaps: gauge(
    "muniops_dashboard_metering_gaps",
    "How many hours within metering's catch-up window some host has a gap (no measurement) for in the ledger.",
  ),
  periodsOverdue: gauge(
    "muniops_dashboard_periods_overdue",
    "Months still open after the 10th of the following month (the close deadline).",
  ),
  ledgerSizeBytes: gauge("muniops_dashboard_ledger_size_bytes", "Size of the ledger database on disk."),
  auditRuns: counter(
    "muniops_dashboard_audit_runs_total",
    "Compliance audit reports stored in the ledger, by result: passed or failed.",
  ),
} as const satisfies Record<string, MetricDefinition>;

/** A counter's family name in OpenMetrics, which writes the `_total` only on the sample. */
export function openMetricsFamilyName(metric: MetricDefinition): string {
  return metric.type === "counter" ? metric.name.replace(/_total$/, "") : metric.name;
}

/**
 * Business counters of services central ICT recharges by use: a metered shared-cost driver splits the
 * service's cost by them (dashboard/domain/meteredDriver.ts). The department a transaction is charged to is
 * the label `charge_department`, not `department`: that one is the target label Prometheus attaches from
 * the inventory (the owner of the host serving the counter), and a scraped `department` would collide with it.
 */
export const serviceMetrics = {
  digitalCounterTransactions: counter(
    "muniops_digital_counter_transactions_total",
    "Transactions completed at the digital counter, by product and the department they are charged to.",
  ),
} as const satisfies Record<string, MetricDefinition>;

/** The label of a service counter naming the department a unit is charged to. */
export const chargeDepartmentLabel = "charge_department";
