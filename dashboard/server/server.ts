// `muniops dashboard`: express 5 serving the pages, the JSON API and the static assets (chart.js from
// node_modules: these machines may be offline, so no CDN). `start()`/`stop()` let tests run the real
// server in-process on port 0.
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import express, { type Express } from "express";
import { packageRoot } from "../../packageInfo.js";
import { openLedger, type Ledger } from "../data-access/database.js";
import type { OidcLogin } from "../auth/oidcClient.js";
import { forgetCachedSessions, prepareAuthTables } from "../auth/userStore.js";
import { webRouter } from "../web/webRoutes.js";
import { unauthenticated } from "../app/appError.js";
import { authRouter } from "../web/authRoutes.js";
import { DashboardService } from "../app/dashboardService.js";
import { errorMiddleware } from "./errorMiddleware.js";
import { requestSecurity, securityHeaders } from "../http/security.js";
import { apiRouter } from "../api/v1Routes.js";
import { withHotRoutes } from "./hotRoutes.js";
import { pageCachePolicy } from "../http/serialisedResponse.js";
import { defaultWaiversPath } from "../../policies/settings.js";
import type { ComplianceSources } from "../app/complianceReports.js";
import { auditUploadLimit, auditUploadPaths } from "../api/complianceApi.js";
import { requestBodyReader } from "../http/requestBodyPolicy.js";
import type { TrustProxy } from "./trustProxy.js";
import { DashboardMetrics } from "./dashboardMetrics.js";

export interface DashboardOptions {
  databaseUrl: string;
  host: string;
  port: number;
  sessionTtlMs: number;
  slaTarget: number;
  /** Where the compliance page gets waivers and, if set, the preview file the server may audit. */
  compliance?: Partial<ComplianceSources>;
  /** The inventory metering reads: priced at the rate card, it is the overview's forecast. */
  inventoryFile?: string | undefined;
  /** Which reverse proxies' X-Forwarded-* to believe: none, a hop count, or their addresses. */
  trustProxy: TrustProxy;
  loginAttempts: number;
  /** OIDC login beside the local accounts (discovered before start), or undefined when not configured. */
  oidc?: OidcLogin | undefined;
  /** The clock, for tests that pin "now" to a month of the fixture. */
  now?: () => number;
  /** The bearer token GET /metrics answers to; unset, /metrics is not served (dashboardMetrics.ts). */
  metricsToken?: string | undefined;
}

export interface RunningDashboard {
  url: string;
  ledger: Ledger;
  service: DashboardService;
  metrics: DashboardMetrics;
  stop(): Promise<void>;
}

export function createApp(
  ledger: Ledger,
  service: DashboardService,
  options: Omit<DashboardOptions, "databaseUrl" | "host" | "port">,
): Express {
  const app = express();
  app.disable("x-powered-by");
  // a hop count or the proxies' addresses, never "all" (trustProxy.ts)
  app.set("trust proxy", typeof options.trustProxy === "object" ? [...options.trustProxy] : options.trustProxy);
  app.set("etag", false);
  app.use(securityHeaders());
  // Writes not made through the dashboard's commands (metering, `muniops users`, other replicas) clear
  // the caches before this request reads them; a revoked session is dropped with them.
  service.onLedgerChange(() => {
    forgetCachedSessions(ledger);
  });
  // Bodies are read inside requestSecurity, once the session is known: only a signed-in user's, or the
  // login form's, is read at all (requestBodyPolicy.ts).
  const readBody = requestBodyReader({
    publicPosts: ["/login"],
    largePosts: auditUploadPaths,
    largeLimit: auditUploadLimit,
  });
  app.use(requestSecurity(ledger, () => service.syncWithLedger(), { csrfExempt: ["/login"], readBody }));
  // The busiest routes first: every layer in front of a route is tried on each of its requests. None
  // of these paths overlaps another's, so the order changes only what is tried before a match.
  const compliance: ComplianceSources = {
    previewFile: options.compliance?.previewFile,
    waiversFile: options.compliance?.waiversFile ?? defaultWaiversPath(),
  };
  const api = apiRouter(service, { slaTarget: options.slaTarget, compliance, inventoryFile: options.inventoryFile });
  app.use("/api/v1", (req, res, next) => {
    if (!res.locals.principal && req.path !== "/openapi.json") throw unauthenticated();
    api(req, res, next);
  });
  // Signed-in users' pages; a path that is none of them (an asset, /login, /logout) falls through to the
  // routes below, which anyone may use.
  const pages = webRouter(service, { slaTarget: options.slaTarget, compliance, inventoryFile: options.inventoryFile });
  app.use((req, res, next) => {
    if (!res.locals.principal) {
      next();
      return;
    }
    res.setHeader("Cache-Control", pageCachePolicy);
    pages(req, res, next);
  });
  // Assets are the only answers meant to be kept: theirs replaces the pages' no-store set just above.
  const assets = express.Router();
  assets.use((_req, res, next) => {
    res.removeHeader("Cache-Control");
    next();
  });
  const chartJs = join(packageRoot(), "node_modules/chart.js/dist/chart.umd.min.js");
  assets.get("/chart.umd.min.js", (_req, res) => {
    res.sendFile(chartJs, { maxAge: "1d" });
  });
  assets.use(
    express.static(join(packageRoot(), "dashboard/web/assets"), { maxAge: "1h", index: false, fallthrough: false }),
  );
  app.use("/assets", assets);
  app.get("/favicon.ico", (_req, res) => {
    res.status(204).end();
  });
  app.get("/healthz", (_req, res) => {
    res.type("text/plain").send("ok\n");
  });
  app.use(
    authRouter(ledger, {
      sessionTtlMs: options.sessionTtlMs,
      loginAttempts: options.loginAttempts,
      oidc: options.oidc,
    }),
  );
  app.use((_req, res, next) => {
    if (!res.locals.principal) throw unauthenticated();
    next();
  });
  app.use((req) => {
    throw Object.assign(new Error(`no route ${req.method} ${req.path}`), {
      status: 404,
      expose: true,
      type: "not-found",
    });
  });
  app.use(errorMiddleware);
  return app;
}

export async function start(options: DashboardOptions): Promise<RunningDashboard> {
  const ledger = await openLedger(options.databaseUrl);
  let server: Server | undefined;
  let service: DashboardService | undefined;
  try {
    await prepareAuthTables(ledger);
    service = new DashboardService(ledger, options.now);
    const app = createApp(ledger, service, options);
    const metrics = new DashboardMetrics(ledger, options.now ? { now: options.now } : {});
    // the busiest reads are answered before express when they can be (hotRoutes.ts); every request is
    // measured, and /metrics answered, in front of both
    const handler = withHotRoutes(ledger, service, { inventoryFile: options.inventoryFile }, app);
    server = createServer(metrics.serve(handler, options.metricsToken));
    server.listen(options.port, options.host);
    await once(server, "listening");
    server.keepAliveTimeout = 65_000;
    const address = server.address() as AddressInfo;
    const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
    const running = server;
    const watching = service;
    return {
      url: `http://${options.host === "localhost" ? "localhost" : host}:${address.port}`,
      ledger,
      service: watching,
      metrics,
      async stop() {
        running.closeAllConnections();
        await new Promise<void>((resolve) => {
          running.close(() => {
            resolve();
          });
        });
        watching.close();
        await ledger.close();
      },
    };
  } catch (error) {
    server?.close();
    service?.close();
    await ledger.close();
    throw error;
  }
}
