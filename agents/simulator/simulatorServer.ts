// The fleet simulator's HTTP listener: one port serving every simulated host's /metrics, chosen by path
// (`/hosts/<name>/metrics`) or by query (`/metrics?host=<name>`, what Prometheus sends when relabeling
// sets `__param_host`). A host the model has down answers 503, as an unreachable agent would make the
// scrape fail. The landing page says plainly that this is a simulation.
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  formatOpenMetrics,
  formatText,
  openMetricsContentType,
  textContentType,
  wantsOpenMetrics,
} from "../exposition.js";
import type { FleetModel } from "./fleetModel.js";
import { simulatedFamilies } from "./simulatedMetrics.js";

export interface SimulatorOptions {
  model: FleetModel;
  host?: string;
  port?: number;
  now?: () => number;
}

export interface RunningSimulator {
  url: string;
  port: number;
  /** The URL of one simulated host's /metrics. */
  metricsUrl(host: string): string;
  close(): Promise<void>;
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] ?? c);

function landingPage(model: FleetModel, now: number): string {
  const rows = model
    .hostNames()
    .map((name) => {
      const p = model.profile(name);
      const state = p && model.isUp(p, now) ? "up" : "down (simulated outage)";
      return (
        `<li><a href="/hosts/${encodeURIComponent(name)}/metrics">${escapeHtml(name)}</a> — ` +
        `${state}${p?.filling ? ", filesystem filling up" : ""}</li>`
      );
    })
    .join("\n");
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>muniops fleet simulator ` +
    `(SIMULATED)</title></head><body>
<h1>muniops fleet simulator — SIMULATED data</h1>
<p>Synthetic agent metrics for the demo inventory's hosts, seeded (seed ${model.seed}): every series here is made up by
<code>agents/simulator/</code>, and every scrape carries <code>muniops_simulated 1</code>. Not a real fleet.</p>
<ul>
${rows}
</ul></body></html>`
  );
}

function hostOf(req: IncomingMessage): { path: string; host: string | undefined } {
  const url = new URL(req.url ?? "/", "http://simulator");
  const match = /^\/hosts\/([^/]+)\/metrics$/.exec(url.pathname);
  if (match) return { path: "/metrics", host: decodeURIComponent(match[1] ?? "") };
  return { path: url.pathname, host: url.searchParams.get("host") ?? undefined };
}

export async function startSimulator(options: SimulatorOptions): Promise<RunningSimulator> {
  const { model } = options;
  const now = options.now ?? Date.now;
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    res.setHeader("Cache-Control", "no-store");
    res.setHeader("X-Content-Type-Options", "nosniff");
    const { path, host } = hostOf(req);
    const plain = (status: number, text: string) =>
      res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8" }).end(text + "\n");
    if (path === "/") {
      res
        .writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": "default-src 'none'" })
        .end(landingPage(model, now()));
    } else if (path === "/healthz") {
      plain(200, "ok");
    } else if (path === "/metrics") {
      if (!host) return void plain(400, "say which simulated host: /hosts/<name>/metrics or /metrics?host=<name>");
      const profile = model.profile(host);
      if (!profile) return void plain(404, `no simulated host "${host}"`);
      const t = now();
      if (!model.isUp(profile, t)) return void plain(503, `${host} is down (simulated outage)`);
      const families = simulatedFamilies(model, profile, t);
      const openMetrics = wantsOpenMetrics(req.headers.accept);
      res.writeHead(200, { "Content-Type": openMetrics ? openMetricsContentType : textContentType });
      res.end(req.method === "HEAD" ? undefined : openMetrics ? formatOpenMetrics(families) : formatText(families));
    } else {
      plain(404, "Not found");
    }
  };
  const server: Server = createServer(handle);
  server.keepAliveTimeout = 65_000;
  server.listen(options.port ?? 0, options.host ?? "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host ?? "127.0.0.1"}:${port}`;
  return {
    url,
    port,
    metricsUrl: (host) => `${url}/hosts/${encodeURIComponent(host)}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}
