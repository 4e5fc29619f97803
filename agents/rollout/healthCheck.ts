// Is the agent up, and is it the version we just installed? Asked through the SSH connection itself
// (a direct-tcpip channel to the agent's listen address), so it works from wherever the rollout runs,
// even when a firewall keeps the agent port open only to Prometheus.
import { request } from "node:http";
import type { Duplex } from "node:stream";
import type { NodeSSH } from "node-ssh";
import { agentMetrics } from "../../contracts/metrics.js";

/** The version in `muniops_agent_build_info{version="…"} 1`, or undefined when the series is absent. */
export function buildInfoVersion(exposition: string): string | undefined {
  for (const line of exposition.split("\n")) {
    if (!line.startsWith(`${agentMetrics.agentBuildInfo.name}{`)) continue;
    const match = /[{,]version="((?:[^"\\]|\\.)*)"/.exec(line);
    if (match?.[1] !== undefined) return match[1].replace(/\\(.)/g, "$1");
  }
  return undefined;
}

export type Probe = { up: true; version: string | undefined } | { up: false; error: string };

/** One GET /metrics over a tunnel opened by `openChannel`. */
export function fetchMetricsOver(
  openChannel: () => Promise<Duplex>,
  hostHeader: string,
  timeoutMs: number,
): Promise<string> {
  return new Promise((resolve, reject) => {
    openChannel().then(
      (channel) => {
        const req = request(
          {
            host: hostHeader,
            path: "/metrics",
            method: "GET",
            headers: { host: hostHeader, accept: "text/plain" },
            createConnection: () => channel,
            timeout: timeoutMs,
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (chunk: Buffer) => chunks.push(chunk));
            res.on("end", () => {
              const body = Buffer.concat(chunks).toString("utf8");
              if (res.statusCode === 200) resolve(body);
              else reject(new Error(`GET /metrics answered ${res.statusCode ?? "?"}`));
            });
            res.on("error", reject);
          },
        );
        req.on("timeout", () => req.destroy(new Error(`GET /metrics timed out after ${timeoutMs} ms`)));
        req.on("error", reject);
        req.end();
      },
      (error: unknown) => {
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

export async function probeAgent(ssh: NodeSSH, address: string, port: number, timeoutMs = 5_000): Promise<Probe> {
  try {
    const body = await fetchMetricsOver(
      () => ssh.forwardOut("127.0.0.1", 0, address, port),
      `${address.includes(":") ? `[${address}]` : address}:${port}`,
      timeoutMs,
    );
    return { up: true, version: buildInfoVersion(body) };
  } catch (error) {
    return { up: false, error: describeProbeError(error) };
  }
}

function describeProbeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // ssh2 reports a refused forward as "(SSH) Channel open failure: Connection refused".
  if (/connect failed|Connection refused/i.test(message)) return "nothing listens on the agent port";
  if (/administratively prohibited/i.test(message))
    return "the SSH server forbids TCP forwarding (AllowTcpForwarding), so /metrics can't be checked";
  return message;
}

/**
 * The pauses between health probes: short at first, because a restarted agent usually answers within
 * a few hundred ms and every idle ms is added to the host's deploy; then growing, so an agent that
 * takes long to start (a slow disk, a busy host) isn't asked dozens of times a second.
 */
export function* probeDelays(firstMs = 20, factor = 1.5, maxMs = 500): Generator<number, never> {
  for (let delay = firstMs; ; delay = Math.min(maxMs, delay * factor)) yield Math.round(delay);
}

/**
 * Wait until /metrics answers with the expected version, polling while the agent starts. Fails with the
 * last thing seen: nothing listening, a wrong version, or no build_info at all.
 */
export async function waitForVersion(
  ssh: NodeSSH,
  address: string,
  port: number,
  expected: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: string;
  const delays = probeDelays();
  for (;;) {
    const probe = await probeAgent(ssh, address, port, Math.min(5_000, Math.max(500, deadline - Date.now())));
    if (probe.up) {
      if (probe.version === expected) return;
      last =
        probe.version === undefined
          ? `/metrics has no ${agentMetrics.agentBuildInfo.name}`
          : `/metrics reports version ${probe.version}`;
    } else {
      last = probe.error;
    }
    const delay = delays.next().value;
    if (Date.now() + delay > deadline)
      throw new Error(
        `health check failed after ${Math.round(timeoutMs / 1000)} s: ${last} (expected version ${expected})`,
      );
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
