// Every threshold of the monitoring mixin, in one place: the alert rules, the recording rules and the
// dashboards read them from here, and the rendered YAML/JSON in rendered/ is regenerated from them
// (`npx tsx agents/mixin/render.ts`). Defaults follow the node-mixin (kubernetes-monitoring/node-mixin)
// where it has one; the patch rule is BIO2 measure 8.08.01's week.
export interface MixinConfig {
  /** The Prometheus job of the agents, as `muniops prometheus-config` names it. */
  agentJob: string;
  /** Filesystems that are read-only by design or not the server's own storage. */
  fsTypesIgnored: string;
  runbookBaseUrl: string;
  filesystem: {
    almostFullRatio: number;
    fullRatio: number;
    fillingUpHours: number;
    fillingUpMinUsedRatio: number;
    inodesFreeRatio: number;
  };
  network: { errorRatio: number };
  conntrack: { usedRatio: number };
  clock: { skewSeconds: number };
  fileDescriptors: { usedRatio: number };
  disk: { ioQueueLength: number };
  memory: { availableRatio: number; majorPageFaultsPerSecond: number };
  patch: {
    securityPendingDays: number;
    rebootPendingDays: number;
    checkStaleHours: number;
    /** The share of servers (per department and fleet-wide) within the patch rule below which an alert fires. */
    minShareWithinRule: number;
  };
}

export const mixinConfig: MixinConfig = {
  agentJob: "muniops-agent",
  fsTypesIgnored: "tmpfs|ramfs|squashfs|iso9660",
  runbookBaseUrl: "https://github.com/gemeente/muniops/blob/main/agents/mixin/runbook.md",
  filesystem: {
    almostFullRatio: 0.85,
    fullRatio: 0.95,
    fillingUpHours: 24,
    fillingUpMinUsedRatio: 0.6,
    inodesFreeRatio: 0.05,
  },
  // node-mixin's NodeNetworkReceiveErrs: more than 1 % of packets in error for an hour.
  network: { errorRatio: 0.01 },
  // node-mixin's NodeHighNumberConntrackEntriesUsed.
  conntrack: { usedRatio: 0.75 },
  clock: { skewSeconds: 30 },
  fileDescriptors: { usedRatio: 0.7 },
  // node-mixin's NodeDiskIOSaturation: on average more than 10 I/Os queued or in service for 30 minutes.
  disk: { ioQueueLength: 10 },
  // node-mixin's NodeMemoryMajorPagesFaults: 500 a second.
  memory: { availableRatio: 0.05, majorPageFaultsPerSecond: 500 },
  // BIO2 8.08.01: high-risk vulnerabilities mitigated within one week. A check older than 26 h has missed a day.
  // Fleet and department level: alert when fewer than 95 % of the servers are within the week for an hour.
  patch: { securityPendingDays: 7, rebootPendingDays: 7, checkStaleHours: 26, minShareWithinRule: 0.95 },
};
