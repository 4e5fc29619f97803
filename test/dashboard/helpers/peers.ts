// Real peers for the metering tests, started on free loopback ports and stopped after: Prometheus 2.42
// (history backfilled with promtool) and VictoriaMetrics.
import { freePort } from "../../helpers/ports.js";
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export { freePort };

function requireBinary(path: string, pkg: string): void {
  if (!existsSync(path)) throw new Error(`${path} is missing: install the Debian package ${pkg} (bash .ci/run does)`);
}

async function waitFor(url: string, child: ChildProcess, name: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${name} did not become ready at ${url}`);
}

export interface Peer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        resolve();
        return;
      }
      child.once("exit", () => {
        resolve();
      });
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
    });
}

/** `promtool tsdb create-blocks-from openmetrics` into `dataDir`. */
export async function backfillPrometheus(openMetrics: string, dataDir: string): Promise<void> {
  requireBinary("/usr/bin/promtool", "prometheus");
  const file = join(dataDir, "..", "history.om");
  writeFileSync(file, openMetrics);
  await run("/usr/bin/promtool", ["tsdb", "create-blocks-from", "openmetrics", file, dataDir], { timeout: 60_000 });
}

export async function startPrometheus(dataDir: string, port?: number): Promise<Peer> {
  requireBinary("/usr/bin/prometheus", "prometheus");
  const listen = port ?? (await freePort());
  const config = join(dataDir, "..", "prometheus.yml");
  writeFileSync(config, "global:\n  scrape_interval: 1m\n");
  const child = spawn(
    "/usr/bin/prometheus",
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${dataDir}`,
      `--web.listen-address=127.0.0.1:${listen}`,
      "--storage.tsdb.retention.time=30d",
    ],
    { stdio: "ignore" },
  );
  const url = `http://127.0.0.1:${listen}`;
  await waitFor(`${url}/-/ready`, child, "prometheus");
  return { url, port: listen, stop: stopper(child) };
}

export async function startVictoriaMetrics(dataDir: string, fixedPort?: number): Promise<Peer> {
  requireBinary("/usr/bin/victoria-metrics", "victoria-metrics");
  const port = fixedPort ?? (await freePort());
  const child = spawn(
    "/usr/bin/victoria-metrics",
    [
      `-httpListenAddr=127.0.0.1:${port}`,
      `-storageDataPath=${dataDir}`,
      "-retentionPeriod=1y",
      "-search.disableCache",
      "-search.latencyOffset=0s",
    ],
    { stdio: "ignore" },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/health`, child, "victoria-metrics");
  return { url, port, stop: stopper(child) };
}
