// The mixin's alerts on the dashboard's own metrics (contracts/metrics.ts, dashboardMetrics): metering
// stopped, a month not closed by its deadline, login failures spiking. Kept beside the agent's rules.ts in
// a group and a rules file of their own (rendered/dashboard-rules.yml, `muniops prometheus-config`'s
// rules/muniops-dashboard.rules.yml), with their runbook in dashboard-runbook.md. The ledger's figures are the
// same on every instance, so the alerts take their max; login failures are each instance's, so they are summed.
import { dashboardMetrics } from "../../contracts/metrics.js";
import type { AlertRule, RuleGroups } from "./rules.js";

export const dashboardJobName = "muniops-dashboard";
export const dashboardRulesFileName = "muniops-dashboard.rules.yml";

export interface DashboardAlertConfig {
  job: string;
  runbookBaseUrl: string;
  /** Metering runs every minute and records each hour soon after it ends: this many hours behind is stopped. */
  meteringLagHours: number;
  /** Refused password logins a second, over all instances, for five minutes: a password-guessing run. */
  loginFailuresPerSecond: number;
}

export const dashboardAlertConfig: DashboardAlertConfig = {
  job: dashboardJobName,
  runbookBaseUrl: "https://github.com/gemeente/muniops/blob/main/agents/mixin/dashboard-runbook.md",
  meteringLagHours: 2,
  loginFailuresPerSecond: 0.5,
};

export function dashboardAlertRules(c: DashboardAlertConfig = dashboardAlertConfig): AlertRule[] {
  const job = `{job="${c.job}"}`;
  const runbook = (alert: string): string => `${c.runbookBaseUrl}#${alert.toLowerCase()}`;
  return [
    {
      alert: "MuniopsMeteringStopped",
      expr: `max by (job) (${dashboardMetrics.meteringLagSeconds.name}${job}) > ${c.meteringLagHours * 3600}`,
      for: "15m",
      labels: { severity: "critical" },
      annotations: {
        summary: "Metering is more than " + `${c.meteringLagHours} hours behind`,
        description:
          "The ledger's last metered hour is {{ $value | humanizeDuration }} behind: no dashboard instance is " +
          "metering, or its source (Prometheus, the agents) fails. Hours are caught up within the catch-up window.",
        runbook_url: runbook("MuniopsMeteringStopped"),
      },
    },
    {
      alert: "MuniopsMonthNotClosed",
      expr: `max by (job) (${dashboardMetrics.periodsOverdue.name}${job}) > 0`,
      for: "1h",
      labels: { severity: "warning" },
      annotations: {
        summary: "{{ $value }} month(s) still open after the 10th of the following month",
        description:
          "A month's chargeback should be closed by the 10th of the next month so finance can book it; " +
          "{{ $value }} month(s) are past that and still open.",
        runbook_url: runbook("MuniopsMonthNotClosed"),
      },
    },
    {
      alert: "MuniopsLoginFailuresSpiking",
      expr: `sum by (job) (rate(${dashboardMetrics.loginFailures.name}${job}[5m])) > ${c.loginFailuresPerSecond}`,
      for: "5m",
      labels: { severity: "warning" },
      annotations: {
        summary: 'Refused dashboard logins at {{ printf "%.2f" $value }} a second',
        description:
          "More than " +
          `${c.loginFailuresPerSecond} password logins a second have been refused for 5 minutes, over all ` +
          "instances: someone may be guessing passwords.",
        runbook_url: runbook("MuniopsLoginFailuresSpiking"),
      },
    },
  ];
}

export function dashboardRuleGroups(c: DashboardAlertConfig = dashboardAlertConfig): RuleGroups {
  return { groups: [{ name: "muniops-dashboard", rules: dashboardAlertRules(c) }] };
}
