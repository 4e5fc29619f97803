// The mixin's two Grafana dashboards, as plain dashboard JSON (schemaVersion 39): the fleet by department,
// and one host. Built here so their thresholds come from config.ts; rendered/dashboards/ holds the JSON
// that Grafana's file provisioning (rendered/provisioning/) loads. Every query is PromQL over the agent's
// series and the recording rules, and is checked by promtool in the tests.
import { mixinConfig, type MixinConfig } from "./config.js";
import { agentMetrics } from "../../contracts/metrics.js";

export interface Panel {
  id: number;
  type: "timeseries" | "stat" | "table";
  title: string;
  description?: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource: { type: "prometheus"; uid: string };
  fieldConfig: { defaults: { unit?: string; min?: number; max?: number; thresholds?: unknown }; overrides: [] };
  options?: Record<string, unknown>;
  targets: { refId: string; expr: string; legendFormat?: string; instant?: boolean; format?: "table" }[];
}

export interface Dashboard {
  uid: string;
  title: string;
  tags: string[];
  schemaVersion: number;
  editable: boolean;
  time: { from: string; to: string };
  refresh: string;
  templating: { list: Record<string, unknown>[] };
  panels: Panel[];
}

const datasource = { type: "prometheus" as const, uid: "${datasource}" };

const datasourceVariable = {
  name: "datasource",
  label: "Prometheus",
  type: "datasource",
  query: "prometheus",
  current: {},
};

function queryVariable(name: string, label: string, query: string, multi: boolean): Record<string, unknown> {
  return {
    name,
    label,
    type: "query",
    datasource,
    query: { query, refId: `${name}-variable` },
    definition: query,
    refresh: 2,
    multi,
    includeAll: multi,
    ...(multi ? { allValue: ".*" } : {}),
    sort: 1,
    current: {},
  };
}

interface PanelSpec {
  title: string;
  type?: Panel["type"];
  unit?: string;
  description?: string;
  max?: number;
  /** Each query with its legend. */
  queries: [expr: string, legend?: string][];
  w?: number;
  h?: number;
}

/** Lays panels out left to right, 24 columns wide, numbering them. */
function layout(specs: PanelSpec[]): Panel[] {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  return specs.map((spec, index) => {
    const w = spec.w ?? 12;
    const h = spec.h ?? 8;
    if (x + w > 24) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    const panel: Panel = {
      id: index + 1,
      type: spec.type ?? "timeseries",
      title: spec.title,
      ...(spec.description ? { description: spec.description } : {}),
      gridPos: { x, y, w, h },
      datasource,
      fieldConfig: {
        defaults: {
          ...(spec.unit ? { unit: spec.unit } : {}),
          ...(spec.max !== undefined ? { min: 0, max: spec.max } : {}),
        },
        overrides: [],
      },
      targets: spec.queries.map(([expr, legendFormat], i) => ({
        refId: String.fromCharCode(65 + i),
        expr,
        ...(legendFormat ? { legendFormat } : {}),
        ...(spec.type === "stat" || spec.type === "table" ? { instant: true } : {}),
        ...(spec.type === "table" ? { format: "table" as const } : {}),
      })),
    };
    x += w;
    rowHeight = Math.max(rowHeight, h);
    return panel;
  });
}

function dashboard(uid: string, title: string, variables: Record<string, unknown>[], panels: PanelSpec[]): Dashboard {
  return {
    uid,
    title,
    tags: ["muniops"],
    schemaVersion: 39,
    editable: false,
    time: { from: "now-24h", to: "now" },
    refresh: "1m",
    templating: { list: [datasourceVariable, ...variables] },
    panels: layout(panels),
  };
}

export function fleetDashboard(c: MixinConfig = mixinConfig): Dashboard {
  const d = 'department=~"$department"';
  const week = c.patch.securityPendingDays * 86400;
  return dashboard(
    "muniops-fleet",
    "muniops / Fleet by department",
    [queryVariable("department", "Department", `label_values(up{job="${c.agentJob}"}, department)`, true)],
    [
      {
        title: "Agents up",
        type: "stat",
        unit: "percentunit",
        max: 1,
        w: 6,
        queries: [[`avg(up{job="${c.agentJob}",${d}})`]],
      },
      {
        title: `Hosts within the ${c.patch.securityPendingDays}-day patch rule (BIO2 8.08.01)`,
        type: "stat",
        unit: "percentunit",
        max: 1,
        w: 6,
        queries: [[`avg(${agentMetrics.updatesSecurityOldestAgeSeconds.name}{${d}} <= bool ${week})`]],
      },
      {
        title: "Security updates pending",
        type: "stat",
        w: 6,
        queries: [[`sum(${agentMetrics.updatesPending.name}{kind="security",${d}})`]],
      },
      {
        title: "Hosts needing a reboot",
        type: "stat",
        w: 6,
        queries: [[`count(${agentMetrics.rebootRequired.name}{${d}} == 1) or vector(0)`]],
      },
      {
        title: "Agents up by department",
        unit: "percentunit",
        max: 1,
        queries: [[`department:muniops_agent_up:ratio{${d}}`, "{{department}}"]],
      },
      {
        title: "CPU utilisation by department",
        unit: "percentunit",
        max: 1,
        queries: [[`avg by (department) (instance:muniops_cpu_utilisation:rate5m{${d}})`, "{{department}}"]],
      },
      {
        title: "Memory utilisation by department",
        unit: "percentunit",
        max: 1,
        queries: [[`avg by (department) (instance:muniops_memory_utilisation:ratio{${d}})`, "{{department}}"]],
      },
      {
        title: "Filesystem space used by department",
        unit: "bytes",
        queries: [
          [
            `sum by (department) (${agentMetrics.filesystemSizeBytes.name}{${d}} - ` +
              `${agentMetrics.filesystemAvailBytes.name}{${d}})`,
            "{{department}}",
          ],
        ],
      },
      {
        title: "Hosts breaching the patch rule by department",
        queries: [[`department:muniops_hosts_patch_rule_breached:count{${d}}`, "{{department}}"]],
      },
      {
        title: "Fullest filesystems",
        type: "table",
        unit: "percentunit",
        queries: [[`topk(10, instance:muniops_filesystem_used:ratio{${d}})`]],
      },
      {
        title: "Oldest pending security update per host",
        type: "table",
        unit: "s",
        w: 24,
        queries: [[`topk(20, ${agentMetrics.updatesSecurityOldestAgeSeconds.name}{${d}} > 0)`]],
      },
    ],
  );
}

/** One host, chosen by the `host` variable: its panel groups in the order layout() places them. */
export function hostDashboard(c: MixinConfig = mixinConfig): Dashboard {
  const h = 'host="$host"';
  return dashboard(
    "muniops-host",
    "muniops / Host",
    [queryVariable("host", "Host", `label_values(up{job="${c.agentJob}"}, host)`, false)],
    [
      ...hostStatusPanels(c, h),
      ...hostComputePanels(h),
      ...hostStoragePanels(h),
      ...hostNetworkPanels(h),
      ...hostCollectorPanels(h),
    ],
  );
}

/** One row of stats: up, uptime, the patch state and the clock offset. */
function hostStatusPanels(c: MixinConfig, h: string): PanelSpec[] {
  return [
    { title: "Up", type: "stat", w: 4, queries: [[`up{job="${c.agentJob}",${h}}`]] },
    {
      title: "Uptime",
      type: "stat",
      unit: "s",
      w: 4,
      queries: [[`time() - ${agentMetrics.bootTimeSeconds.name}{${h}}`]],
    },
    {
      title: "Security updates pending",
      type: "stat",
      w: 4,
      queries: [[`${agentMetrics.updatesPending.name}{kind="security",${h}}`]],
    },
    {
      title: "Oldest security update",
      type: "stat",
      unit: "s",
      w: 4,
      queries: [[`${agentMetrics.updatesSecurityOldestAgeSeconds.name}{${h}}`]],
    },
    { title: "Reboot required", type: "stat", w: 4, queries: [[`${agentMetrics.rebootRequired.name}{${h}}`]] },
    {
      title: "Clock offset to Prometheus",
      type: "stat",
      unit: "s",
      w: 4,
      queries: [[`${agentMetrics.timeSeconds.name}{${h}} - timestamp(${agentMetrics.timeSeconds.name}{${h}})`]],
    },
  ];
}

/** CPU, load, memory and pressure stall. */
function hostComputePanels(h: string): PanelSpec[] {
  return [
    {
      title: "CPU",
      unit: "percentunit",
      queries: [
        [
          `sum by (mode) (rate(${agentMetrics.cpuSeconds.name}{${h},mode!="idle"}[$__rate_interval])) / ` +
            `scalar(count(${agentMetrics.cpuSeconds.name}{${h},mode="idle"}))`,
          "{{mode}}",
        ],
      ],
    },
    {
      title: "Load average",
      queries: [
        [`${agentMetrics.load1.name}{${h}}`, "1m"],
        [`${agentMetrics.load5.name}{${h}}`, "5m"],
        [`${agentMetrics.load15.name}{${h}}`, "15m"],
      ],
    },
    {
      title: "Memory",
      unit: "bytes",
      queries: [
        [`${agentMetrics.memoryTotalBytes.name}{${h}} - ${agentMetrics.memoryAvailableBytes.name}{${h}}`, "used"],
        [`muniops_memory_cached_bytes{${h}} + muniops_memory_buffers_bytes{${h}}`, "cache and buffers"],
        [`muniops_memory_free_bytes{${h}}`, "free"],
        [`muniops_memory_swap_total_bytes{${h}} - muniops_memory_swap_free_bytes{${h}}`, "swap used"],
      ],
    },
    {
      title: "Pressure stall (share of time waiting)",
      unit: "percentunit",
      queries: [
        [`rate(muniops_pressure_cpu_waiting_seconds_total{${h}}[$__rate_interval])`, "cpu"],
        [`rate(muniops_pressure_memory_waiting_seconds_total{${h}}[$__rate_interval])`, "memory"],
        [`rate(muniops_pressure_io_waiting_seconds_total{${h}}[$__rate_interval])`, "io"],
      ],
    },
  ];
}

/** Disk throughput, utilisation and queue, and filesystem space. */
function hostStoragePanels(h: string): PanelSpec[] {
  return [
    {
      title: "Disk throughput",
      unit: "Bps",
      queries: [
        [`rate(${agentMetrics.diskReadBytes.name}{${h}}[$__rate_interval])`, "{{device}} read"],
        [`rate(${agentMetrics.diskWrittenBytes.name}{${h}}[$__rate_interval])`, "{{device}} written"],
      ],
    },
    {
      title: "Disk utilisation and queue",
      queries: [
        [`rate(${agentMetrics.diskIoTimeSeconds.name}{${h}}[$__rate_interval])`, "{{device}} busy"],
        [`rate(muniops_disk_io_time_weighted_seconds_total{${h}}[$__rate_interval])`, "{{device}} queue"],
      ],
    },
    {
      title: "Filesystems used",
      unit: "percentunit",
      max: 1,
      queries: [[`instance:muniops_filesystem_used:ratio{${h}}`, "{{mountpoint}}"]],
    },
  ];
}

/** Network traffic and errors, and the conntrack and file handle tables. */
function hostNetworkPanels(h: string): PanelSpec[] {
  return [
    {
      title: "Network traffic",
      unit: "Bps",
      queries: [
        [`rate(${agentMetrics.networkReceiveBytes.name}{${h},device!="lo"}[$__rate_interval])`, "{{device}} in"],
        [`rate(${agentMetrics.networkTransmitBytes.name}{${h},device!="lo"}[$__rate_interval])`, "{{device}} out"],
      ],
    },
    {
      title: "Network errors and drops",
      unit: "pps",
      queries: [
        [`rate(muniops_network_receive_errors_total{${h}}[$__rate_interval])`, "{{device}} receive errors"],
        [`rate(muniops_network_transmit_errors_total{${h}}[$__rate_interval])`, "{{device}} transmit errors"],
        [`rate(muniops_network_receive_drops_total{${h}}[$__rate_interval])`, "{{device}} receive drops"],
      ],
    },
    {
      title: "Conntrack and file handles used",
      unit: "percentunit",
      max: 1,
      queries: [
        [`muniops_nf_conntrack_entries{${h}} / muniops_nf_conntrack_entries_limit{${h}}`, "conntrack"],
        [`muniops_filefd_allocated{${h}} / muniops_filefd_maximum{${h}}`, "file handles"],
      ],
    },
  ];
}

/** Which collectors succeeded in the last scrape, full width at the bottom. */
function hostCollectorPanels(h: string): PanelSpec[] {
  return [
    {
      title: "Collectors",
      type: "table",
      w: 24,
      queries: [[`${agentMetrics.scrapeCollectorSuccess.name}{${h}}`]],
    },
  ];
}

export function dashboards(c: MixinConfig = mixinConfig): Map<string, Dashboard> {
  return new Map([
    ["muniops-fleet.json", fleetDashboard(c)],
    ["muniops-host.json", hostDashboard(c)],
  ]);
}

/** Every query of a dashboard with Grafana's variables replaced by values PromQL accepts, for promtool. */
export function dashboardExpressions(board: Dashboard): { panel: string; expr: string }[] {
  return board.panels.flatMap((panel) =>
    panel.targets.map((t) => ({
      panel: panel.title,
      expr: t.expr
        .replaceAll("$__rate_interval", "5m")
        .replaceAll("$department", ".*")
        .replaceAll("$host", "example-host"),
    })),
  );
}
