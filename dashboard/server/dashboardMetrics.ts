// The dashboard's own metrics (issue 20), on a private prom-client Registry: requests by route pattern and
// status with their latency, login failures, and what the ledger says about metering and closing. Served at
// GET /metrics to a bearer token (MUNIOPS_DASHBOARD_METRICS_TOKEN), before the session layer: Prometheus has
// no session, and the answer names no department's money. Without a token the path is not served at all.
// The ledger's figures are read at most once per `ledgerTtlMs` whatever the number of scrapers, and never
// on a request's path.
import { timingSafeEqual, createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { dashboardMetrics as names } from "../../contracts/metrics.js";
import { logger } from "../../logger.js";
import type { Ledger } from "../data-access/database.js";
import { readLedgerHealth, type LedgerHealth } from "../data-access/ledgerHealth.js";
import { overdueOpenPeriods } from "../domain/closeDeadline.js";
import { hourKey, hourStart } from "../domain/period.js";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface DashboardMetricsOptions {
  /** How far back metering retries gaps: the window the gap count covers (default 31 days). */
  catchUpMs?: number;
  ledgerTtlMs?: number;
  now?: () => number;
}

/** Express leaves the matched route on the request: its pattern under the router's mount point. */
interface RoutedRequest extends IncomingMessage {
  baseUrl?: string;
  route?: { path?: unknown };
}

export function routeLabel(req: RoutedRequest, status: number): string {
  const pattern = req.route?.path;
  if (typeof pattern === "string") return `${req.baseUrl ?? ""}${pattern}` || "/";
  const path = (req.url ?? "/").split("?")[0] ?? "/";
  // answered before express (hotRoutes.ts): their paths are their patterns
  if (status < 400 && (path === "/" || path === "/api/v1/chargeback")) return path;
  if (path.startsWith("/assets/")) return "/assets/*";
  return status === 404 ? "(unmatched)" : "(other)";
}

const sameToken = (given: string, expected: string): boolean => {
  const digest = (s: string): Buffer => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
};

export class DashboardMetrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: names.httpRequests.name,
    help: names.httpRequests.help,
    labelNames: ["method", "route", "status"],
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: names.httpRequestDurationSeconds.name,
    help: names.httpRequestDurationSeconds.help,
    labelNames: ["method", "route"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly loginFailures = new Counter({
    name: names.loginFailures.name,
    help: names.loginFailures.help,
    labelNames: ["reason"],
    registers: [this.registry],
  });
  private readonly lastSuccess = new Gauge({
    name: names.meteringLastSuccessTimestampSeconds.name,
    help: names.meteringLastSuccessTimestampSeconds.help,
    registers: [this.registry],
  });
  private readonly leader = new Gauge({
    name: names.meteringLeader.name,
    help: names.meteringLeader.help,
    registers: [this.registry],
  });
  private cached: { at: number; health: Promise<LedgerHealth> } | undefined;

  constructor(
    private readonly ledger: Ledger,
    private readonly options: DashboardMetricsOptions = {},
  ) {
    this.leader.set(0);
    const read = (): Promise<LedgerHealth | undefined> => this.health();
    const now = (): number => this.now();
    const ledgerGauge = (metric: { name: string; help: string }, value: (h: LedgerHealth, now: number) => number) =>
      new Gauge({
        name: metric.name,
        help: metric.help,
        registers: [this.registry],
        async collect(this: Gauge) {
          const health = await read();
          if (health) this.set(value(health, now()));
        },
      });
    ledgerGauge(names.meteringLagSeconds, (h, at) => lagHours(h.lastHour, at) * 3600);
    ledgerGauge(names.meteringGaps, (h) => h.gapHours);
    ledgerGauge(names.periodsOverdue, (h, at) => overdueOpenPeriods(at, h.firstHour, h.latestClosed).length);
    ledgerGauge(names.ledgerSizeBytes, (h) => h.sizeBytes);
    new Counter({
      name: names.auditRuns.name,
      help: names.auditRuns.help,
      labelNames: ["result"],
      registers: [this.registry],
      // the ledger's count, the same on every instance: set from it, not counted here
      async collect(this: Counter) {
        const health = await read();
        if (!health) return;
        this.reset();
        this.inc({ result: "passed" }, health.auditRuns.passed);
        this.inc({ result: "failed" }, health.auditRuns.failed);
      },
    });
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  /** The ledger's figures, shared by the gauges of one scrape and by scrapes within `ledgerTtlMs`. */
  private async health(): Promise<LedgerHealth | undefined> {
    const now = this.now();
    if (!this.cached || now - this.cached.at >= (this.options.ledgerTtlMs ?? 15_000)) {
      const since = hourKey(now - (this.options.catchUpMs ?? 31 * 86_400_000));
      this.cached = { at: now, health: readLedgerHealth(this.ledger, since) };
    }
    try {
      return await this.cached.health;
    } catch (error) {
      this.cached = undefined;
      logger().warn({ err: error instanceof Error ? error.message : String(error) }, "ledger metrics unreadable");
      return undefined;
    }
  }

  meteringSucceeded(at = this.now()): void {
    this.lastSuccess.set(at / 1000);
  }

  leading(yes: boolean): void {
    this.leader.set(yes ? 1 : 0);
  }

  /** Time every request, count it by route and status, and count refused password logins. */
  observe(req: IncomingMessage, res: ServerResponse): void {
    const end = this.duration.startTimer();
    res.once("finish", () => {
      const route = routeLabel(req, res.statusCode);
      const method = req.method ?? "GET";
      end({ method, route });
      this.requests.inc({ method, route, status: String(res.statusCode) });
      if (method === "POST" && route === "/login" && res.statusCode === 401)
        this.loginFailures.inc({ reason: "credentials" });
      if (method === "POST" && route === "/login" && res.statusCode === 429)
        this.loginFailures.inc({ reason: "throttled" });
    });
  }

  /** `handler` with /metrics answered (to the token) and every other request observed. */
  serve(handler: Handler, token: string | undefined): Handler {
    return (req, res) => {
      if (token && (req.url === "/metrics" || req.url?.startsWith("/metrics?"))) {
        void this.answer(req, res, token);
        return;
      }
      this.observe(req, res);
      handler(req, res);
    };
  }

  private async answer(req: IncomingMessage, res: ServerResponse, token: string): Promise<void> {
    const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    if (req.method !== "GET" || !given || !sameToken(given, token)) {
      res.writeHead(req.method !== "GET" ? 405 : 401, {
        "content-type": "text/plain",
        ...(req.method === "GET" ? { "www-authenticate": 'Bearer realm="muniops dashboard metrics"' } : {}),
      });
      res.end(req.method !== "GET" ? "GET only\n" : "a bearer token is needed\n");
      return;
    }
    try {
      const body = await this.registry.metrics();
      res.writeHead(200, { "content-type": this.registry.contentType, "cache-control": "no-store" });
      res.end(body);
    } catch (error) {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end(`metrics failed: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
}

/** Full hours between the last metered hour and the last full hour at `now` (all of them when none is). */
export function lagHours(lastHour: string | undefined, now: number): number {
  const lastFull = hourStart(hourKey(now - 3_600_000));
  if (!lastHour) return Number.POSITIVE_INFINITY;
  return Math.max(0, Math.round((lastFull - hourStart(lastHour)) / 3_600_000));
}
