// Host selection, bounded parallelism, the build-info parser and the summary.
import { describe, expect, it } from "vitest";
import { hostMatcher, runFleet } from "../../../agents/rollout/fleet.js";
import { buildInfoVersion, probeDelays } from "../../../agents/rollout/healthCheck.js";
import { PassThrough } from "node:stream";
import { createReporter, summaryTable } from "../../../agents/rollout/report.js";
import type { InventoryHost } from "../../../contracts/inventory.js";

const host = (name: string): InventoryHost => ({
  name,
  address: "127.0.0.1",
  agentPort: 9110,
  department: "ict",
  service: "s",
  role: "r",
  environment: "test",
  os: "linux",
  vmSize: "x",
  vcpus: 1,
  memoryGiB: 1,
  disks: [],
});

describe("--hosts globs", () => {
  it("includes, excludes and matches character classes", () => {
    const match = hostMatcher("bz-*,!bz-db-*");
    expect(["bz-app-01", "bz-db-01", "bel-app-01"].filter(match)).toEqual(["bz-app-01"]);
    expect(["web-01", "web-02", "web-10"].filter(hostMatcher("web-0[12]"))).toEqual(["web-01", "web-02"]);
    expect(["a", "b"].filter(hostMatcher(undefined))).toEqual(["a", "b"]);
    expect(["a.b", "axb"].filter(hostMatcher("a.b"))).toEqual(["a.b"]);
  });
});

describe("runFleet", () => {
  it("never runs more than --parallel hosts at once and returns results in inventory order", async () => {
    let active = 0;
    let peak = 0;
    const hosts = Array.from({ length: 12 }, (_v, i) => host(`h${i}`));
    const results = await runFleet(hosts, 4, async (h) => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 30 - Number(h.name.slice(1)) * 2));
      active--;
      return { host: h.name, address: h.address, status: "deployed", durationMs: 0 };
    });
    expect(peak).toBe(4);
    expect(results.map((r) => r.host)).toEqual(hosts.map((h) => h.name));
  });
});

describe("buildInfoVersion", () => {
  it("reads the version label wherever it sits, ignoring runtime_version", () => {
    expect(buildInfoVersion('# HELP x\nmuniops_agent_build_info{runtime_version="v20.1.0",version="1.2.3"} 1\n')).toBe(
      "1.2.3",
    );
    expect(buildInfoVersion('muniops_agent_build_info{version="2.0.0",runtime_version="v20"} 1')).toBe("2.0.0");
    expect(buildInfoVersion("muniops_up 1\n")).toBeUndefined();
  });
});

describe("probeDelays", () => {
  it("polls quickly while the agent starts, then backs off to a ceiling", () => {
    const delays = probeDelays();
    const first = Array.from({ length: 12 }, () => delays.next().value);
    expect(first.slice(0, 4)).toEqual([20, 30, 45, 68]);
    expect(first.every((d, i) => i === 0 || d >= first[i - 1]!)).toBe(true);
    expect(first.at(-1)).toBe(500);
    // The first ten probes cover the first ~2.5 s of a start, so a slow host is not polled 100 times.
    expect(first.slice(0, 10).reduce((a, b) => a + b, 0)).toBeGreaterThan(1_500);
  });
});

describe("summaryTable", () => {
  it("counts a rolled-back deploy as failed", () => {
    const text = summaryTable([
      { host: "a", address: "10.0.0.1", status: "deployed", durationMs: 1200 },
      {
        host: "b",
        address: "10.0.0.2",
        status: "rolled-back",
        error: "health check failed; rolled back to 1.0.0",
        durationMs: 5000,
      },
    ]);
    expect(text).toContain("2 hosts, 1 ok, 1 failed");
  });
});

describe("createReporter", () => {
  const capture = (tty: boolean): { stream: NodeJS.WriteStream; text: () => string } => {
    const stream = new PassThrough() as unknown as NodeJS.WriteStream & PassThrough;
    let text = "";
    stream.on("data", (chunk: Buffer) => (text += chunk.toString()));
    Object.assign(stream, {
      isTTY: tty,
      columns: 120,
      cursorTo: () => true,
      clearLine: () => true,
      moveCursor: () => true,
    });
    return { stream, text: () => text };
  };
  const result = { host: "bz-app-01", address: "10.20.1.4", status: "deployed" as const, to: "1.2.0", durationMs: 900 };

  it("off a terminal: one JSON line per host on stdout, the table on stderr", () => {
    const out = capture(false);
    const err = capture(false);
    const reporter = createReporter("deploy", 1, out.stream, err.stream);
    reporter.onResult?.(result);
    reporter.finish([result]);
    expect(
      out
        .text()
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as unknown),
    ).toEqual([{ operation: "deploy", ...result }]);
    expect(err.text()).toContain("1 host, 1 ok, 0 failed");
    expect(err.text()).not.toContain("\u001b[");
  });

  it("on a terminal: a progress bar, then the table on stdout", () => {
    const out = capture(true);
    const reporter = createReporter("deploy", 1, out.stream, capture(false).stream);
    reporter.onStep?.(host("bz-app-01"), "upload");
    reporter.onResult?.(result);
    reporter.finish([result]);
    expect(out.text()).toContain("deploy [");
    expect(out.text()).toContain("1 host, 1 ok, 0 failed");
    expect(out.text()).not.toContain('"operation"');
  });
});
