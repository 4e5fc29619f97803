// A multi-target exporter for agentless hosts, in the pattern of blackbox_exporter and snmp_exporter:
// Prometheus scrapes /metrics?target=<inventory host name> and its scrape interval is the schedule.
// Only inventory hosts marked `"collect": "ssh"` are valid targets, so the exporter can't be turned
// into a probe against arbitrary addresses.
import { createServer, type Server } from "node:http";
import type { Inventory, InventoryHost } from "../../contracts/inventory.js";
import { logger } from "../../logger.js";
import { textContentType } from "../exposition.js";
import type { HostFetcher } from "./fetcher.js";

export interface AgentlessExporter {
  server: Server;
  url: string;
  close(): Promise<void>;
}

export function agentlessHosts(inventory: Inventory): Map<string, InventoryHost> {
  return new Map(inventory.hosts.filter((h) => h.collect === "ssh").map((h) => [h.name, h]));
}

export async function startAgentlessExporter(
  inventory: Inventory,
  fetcher: HostFetcher,
  host: string,
  port: number,
): Promise<AgentlessExporter> {
  const targets = agentlessHosts(inventory);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://exporter");
    if (req.method !== "GET") {
      res.writeHead(405, { allow: "GET" }).end();
      return;
    }
    if (url.pathname !== "/metrics") {
      res
        .writeHead(url.pathname === "/" ? 200 : 404, { "content-type": "text/plain; charset=utf-8" })
        .end(
          `muniops agentless exporter: GET /metrics?target=<host> for ` +
            `${[...targets.keys()].join(", ") || '(no host has "collect": "ssh")'}\n`,
        );
      return;
    }
    const name = url.searchParams.get("target") ?? "";
    const target = targets.get(name);
    if (!target) {
      res
        .writeHead(400, { "content-type": "text/plain; charset=utf-8" })
        .end(`unknown target ${JSON.stringify(name)}: expected an inventory host with "collect": "ssh"\n`);
      return;
    }
    fetcher(target).then(
      (text) => res.writeHead(200, { "content-type": textContentType }).end(text),
      (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        logger().warn({ target: name, err: message }, "agentless collection failed");
        // 503 makes Prometheus record up=0 for the target, which is what an unreachable host is.
        res.writeHead(503, { "content-type": "text/plain; charset=utf-8" }).end(`${message}\n`);
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      resolve();
    });
  });
  const address = server.address();
  const boundPort = address && typeof address === "object" ? address.port : port;
  return {
    server,
    url: `http://${host.includes(":") ? `[${host}]` : host}:${boundPort}`,
    close: () =>
      new Promise((resolve) =>
        server.close(() => {
          resolve();
        }),
      ),
  };
}
