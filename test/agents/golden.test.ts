// Golden test: /metrics over HTTP, on a fixture /proc tree copied from real machines (meminfo, stat, diskstats,
// net/dev and loadavg from the first one; vmstat, pressure/, sys/fs/file-nr, the conntrack files and sys/'s
// clock sources copied from a Debian 12 test machine with Linux 6.18 for issue 19), against a
// checked-in expected output. The filesystem collector is left out because sizes come from statfs on the
// live machine; it is tested against the kernel instead (kernel.test.ts). Collector durations vary from
// run to run and are masked. Regenerate with UPDATE_GOLDEN=1 after an intended change, and review the diff.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAgent, type RunningAgent } from "../../agents/agent.js";
import { repoRoot } from "../helpers/cli.js";
import { started } from "../helpers/started.js";

const fixtures = join(repoRoot, "test", "fixtures", "agent");
const goldenFile = join(fixtures, "golden.prom");

describe("/metrics on the fixture /proc tree", () => {
  let agent: RunningAgent;
  beforeAll(async () => {
    agent = await startAgent({
      listenAddress: "127.0.0.1:0",
      collectors: [
        ...["conntrack", "cpu", "diskstats", "filefd", "loadavg", "memory", "netdev", "os", "pressure", "stat"],
        ...["textfile", "time", "timex", "vmstat"],
      ],
      timeoutSeconds: 5,
      version: "0.0.0-golden",
      environment: {
        ...{ procfs: join(fixtures, "proc"), sysfs: join(fixtures, "sys"), rootfs: join(fixtures, "rootfs") },
        ...{ platform: "linux", arch: "x64", now: () => 1764345600.123 },
      },
    });
  });
  afterAll(async () => {
    await started(agent)?.close();
  });

  it("matches the checked-in golden output", async () => {
    const response = await fetch(`${agent.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const body = (await response.text())
      .replace(/(muniops_scrape_collector_duration_seconds\{[^}]*\}) .*/g, "$1 <duration>")
      .replace(/runtime_version="[^"]*"/, 'runtime_version="<node>"');
    if (process.env.UPDATE_GOLDEN === "1") writeFileSync(goldenFile, body);
    expect(body).toBe(readFileSync(goldenFile, "utf8"));
  });

  it("answers in OpenMetrics when the scraper asks for it", async () => {
    const response = await fetch(`${agent.url}/metrics`, {
      headers: { Accept: "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5" },
    });
    expect(response.headers.get("content-type")).toBe("application/openmetrics-text; version=1.0.0; charset=utf-8");
    const body = await response.text();
    expect(body).toContain("# TYPE muniops_cpu_seconds counter\n");
    expect(body).toMatch(/^muniops_cpu_seconds_total\{cpu="0",mode="user"\} 754\.88$/m);
    expect(body.endsWith("# EOF\n")).toBe(true);
  });
});
