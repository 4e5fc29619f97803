// The dashboard's own metrics (issue 20): /metrics to the bearer token only, every family of the contract,
// requests by route pattern (never the raw path), refused logins counted, the ledger's figures, and
// promtool's lint finds nothing.
import { execFileSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dashboardMetrics } from "../../../contracts/metrics.js";
import { start, type RunningDashboard } from "../../../dashboard/server/server.js";
import { closeDeadline, overdueOpenPeriods } from "../../../dashboard/domain/closeDeadline.js";
import { lagHours } from "../../../dashboard/server/dashboardMetrics.js";
import { started } from "../../helpers/started.js";
import { fixedNow, login, seededLedgerFile, tryLogin } from "../api/testServer.js";

const token = "scrape-token-0123456789";
let dashboard: RunningDashboard;
let dir: string;

beforeAll(async () => {
  const seeded = await seededLedgerFile();
  dir = seeded.dir;
  dashboard = await start({
    databaseUrl: seeded.path,
    host: "127.0.0.1",
    port: 0,
    sessionTtlMs: 3_600_000,
    slaTarget: 99.8,
    trustProxy: false,
    loginAttempts: 1000,
    now: () => fixedNow,
    metricsToken: token,
  });
}, 120_000);
afterAll(async () => {
  await started(dashboard)?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const scrape = (auth?: string): Promise<Response> =>
  fetch(`${dashboard.url}/metrics`, auth ? { headers: { authorization: auth } } : {});
const sample = (text: string, series: string): number | undefined => {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe("the dashboard's /metrics", () => {
  it("answers the bearer token only", async () => {
    expect((await scrape()).status).toBe(401);
    expect((await scrape("Bearer wrong-token-0123456789")).status).toBe(401);
    const ok = await scrape(`Bearer ${token}`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toContain("text/plain");
  });

  it("counts requests by route pattern and status, and refused logins", async () => {
    const manager = await login(dashboard.url, "manager");
    expect((await manager.get("/api/v1/departments/burgerzaken")).status).toBe(200);
    expect((await manager.get("/api/v1/departments/belastingen")).status).toBe(200);
    expect((await tryLogin(dashboard.url, "manager", "not the password")).status).toBe(401);
    const text = await (await scrape(`Bearer ${token}`)).text();
    for (const metric of Object.values(dashboardMetrics))
      expect(text, metric.name).toContain(`# TYPE ${metric.name.replace(/_total$/, "")}`);
    expect(text).toContain(
      `${dashboardMetrics.httpRequests.name}{method="GET",route="/api/v1/departments/:id",status="200"} 2`,
    );
    expect(text).not.toContain("burgerzaken");
    expect(text).toContain(`${dashboardMetrics.loginFailures.name}{reason="credentials"} 1`);
    expect(text).toMatch(
      /muniops_dashboard_http_request_duration_seconds_bucket\{le="0.1",method="POST",route="\/login"\}/,
    );
    expect(sample(text, dashboardMetrics.ledgerSizeBytes.name)).toBeGreaterThan(0);
    expect(sample(text, dashboardMetrics.periodsOverdue.name)).toBeGreaterThanOrEqual(0);
  });

  it("passes promtool check metrics", async () => {
    if (!existsSync("/usr/bin/promtool")) throw new Error("/usr/bin/promtool is missing (scripts/test-peers.sh)");
    const text = await (await scrape(`Bearer ${token}`)).text();
    expect(execFileSync("/usr/bin/promtool", ["check", "metrics"], { input: text, encoding: "utf8" })).toBe("");
  });
});

describe("the rules behind the ledger's figures", () => {
  it("a month is overdue from the 11th of the next month, until closed", () => {
    expect(new Date(closeDeadline("2026-10")).toISOString()).toBe("2026-11-11T00:00:00.000Z");
    const nov10 = Date.parse("2026-11-10T23:59:59Z");
    expect(overdueOpenPeriods(nov10, "2026-09-03T00", "2026-09")).toEqual([]);
    expect(overdueOpenPeriods(nov10 + 1000, "2026-09-03T00", "2026-09")).toEqual(["2026-10"]);
    expect(overdueOpenPeriods(nov10 + 1000, "2026-08-03T00", undefined)).toEqual(["2026-08", "2026-09", "2026-10"]);
    expect(overdueOpenPeriods(nov10 + 1000, undefined, undefined)).toEqual([]);
  });

  it("lag is the full hours after the last metered one", () => {
    const now = Date.parse("2026-11-15T12:30:00Z");
    expect(lagHours("2026-11-15T11", now)).toBe(0);
    expect(lagHours("2026-11-15T08", now)).toBe(3);
    expect(lagHours(undefined, now)).toBe(Number.POSITIVE_INFINITY);
  });
});
