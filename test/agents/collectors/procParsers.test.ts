// The pure /proc parsers of issue 19's collectors, on files copied from a real machine (test/fixtures/agent/
// proc and sys: Debian 12, Linux 6.18, 2 vCPUs; see golden.test.ts). Expected values are read off those
// files by eye, so a parser that shifts a column or drops a unit conversion fails here.
import { mkdtempSync, mkdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseConntrackStat, conntrackFamilies } from "../../../agents/collectors/conntrack.js";
import { parseCpuTimes } from "../../../agents/collectors/cpu.js";
import { diskFamilies, parseDiskstats } from "../../../agents/collectors/diskstats.js";
import { parseFileNr } from "../../../agents/collectors/filefd.js";
import { meminfoMetricName, parseMeminfo } from "../../../agents/collectors/memory.js";
import { parseNetDev } from "../../../agents/collectors/netdev.js";
import { parsePressure } from "../../../agents/collectors/pressure.js";
import { parseStatActivity } from "../../../agents/collectors/stat.js";
import { parseVmstat, vmstatFamilies } from "../../../agents/collectors/vmstat.js";
import { createCollectors } from "../../../agents/agent.js";
import { repoRoot } from "../../helpers/cli.js";

const proc = join(repoRoot, "test", "fixtures", "agent", "proc");
const read = (relative: string): string => readFileSync(join(proc, relative), "utf8");

describe("meminfo", () => {
  const fields = parseMeminfo(read("meminfo"));
  it("reads every field, kB in bytes, huge page counts as plain numbers", () => {
    expect(fields).toHaveLength(53);
    expect(fields).toContainEqual({ field: "MemFree", value: 21807608 * 1024, bytes: true });
    expect(fields).toContainEqual({ field: "Active(anon)", value: 37416 * 1024, bytes: true });
    expect(fields).toContainEqual({ field: "HugePages_Total", value: 0, bytes: false });
  });
  it("names each field once, promtool-clean", () => {
    const names = fields.map(meminfoMetricName);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain("muniops_memory_free_bytes");
    expect(names).toContain("muniops_memory_buffers_bytes");
    expect(names).toContain("muniops_memory_cached_bytes");
    expect(names).toContain("muniops_memory_swap_total_bytes");
    expect(names).toContain("muniops_memory_swap_free_bytes");
    expect(names).toContain("muniops_memory_active_anon_bytes");
    expect(names).toContain("muniops_memory_committed_as_bytes");
    expect(names).toContain("muniops_memory_direct_map_2m_bytes");
    expect(names).toContain("muniops_memory_huge_pages");
    expect(names.filter((n) => n.endsWith("_total"))).toEqual([]);
  });
});

describe("vmstat", () => {
  it("gives page faults, major faults and paging in bytes (the kernel counts KiB)", () => {
    const samples = new Map(vmstatFamilies(parseVmstat(read("vmstat"))).map((f) => [f.name, f.samples[0]?.value]));
    expect(samples.get("muniops_vmstat_page_faults_total")).toBe(26265547);
    expect(samples.get("muniops_vmstat_major_page_faults_total")).toBe(686);
    expect(samples.get("muniops_vmstat_paged_in_bytes_total")).toBe(919585 * 1024);
    expect(samples.get("muniops_vmstat_swapped_in_pages_total")).toBe(0);
    expect(samples.get("muniops_vmstat_oom_kills_total")).toBe(0);
  });
});

describe("diskstats", () => {
  it("reads all 17 columns of a 5.5+ kernel into base units", () => {
    const vda = diskFamilies(parseDiskstats(read("diskstats")).filter((d) => d.device === "vda"));
    const value = (name: string): number | undefined => vda.find((f) => f.name === name)?.samples[0]?.value;
    // vda 141536 36167 4599698 37053 49879 119778 6350280 24937 0 22764 66759 12832 27 916520 2567 7301 2201
    expect(value("muniops_disk_reads_completed_total")).toBe(141536);
    expect(value("muniops_disk_reads_merged_total")).toBe(36167);
    expect(value("muniops_disk_read_bytes_total")).toBe(4599698 * 512);
    expect(value("muniops_disk_read_time_seconds_total")).toBe(37.053);
    expect(value("muniops_disk_writes_completed_total")).toBe(49879);
    expect(value("muniops_disk_write_time_seconds_total")).toBe(24.937);
    expect(value("muniops_disk_io_now")).toBe(0);
    expect(value("muniops_disk_io_time_seconds_total")).toBe(22.764);
    expect(value("muniops_disk_io_time_weighted_seconds_total")).toBe(66.759);
    expect(value("muniops_disk_discards_completed_total")).toBe(12832);
    expect(value("muniops_disk_flush_requests_total")).toBe(7301);
    expect(value("muniops_disk_flush_requests_time_seconds_total")).toBe(2.201);
  });
  it("leaves out the columns an older kernel does not have", () => {
    const families = diskFamilies(parseDiskstats("   8       0 sda 1 2 3 4 5 6 7 8 9 10 11"));
    expect(families.find((f) => f.name === "muniops_disk_io_time_weighted_seconds_total")?.samples).toHaveLength(1);
    expect(families.find((f) => f.name === "muniops_disk_discards_completed_total")?.samples).toEqual([]);
  });
});

describe("net/dev", () => {
  it("reads all 16 counters per interface", () => {
    const lo = parseNetDev(read("net/dev")).find((d) => d.device === "lo");
    expect(Object.keys(lo?.values ?? {})).toHaveLength(16);
    expect(lo?.values.muniops_network_receive_packets_total).toBe(lo?.values.muniops_network_transmit_packets_total);
    expect(lo?.values.muniops_network_receive_bytes_total).toBe(6372891);
    expect(lo?.values.muniops_network_receive_packets_total).toBe(9895);
  });
});

describe("/proc/stat", () => {
  it("gives interrupts, context switches, forks and processes running and blocked", () => {
    expect(parseStatActivity(read("stat"))).toEqual({
      interrupts: 1814425,
      contextSwitches: 4174879,
      forks: 24567,
      procsRunning: 10,
      procsBlocked: 0,
    });
  });
  it("gives guest time per CPU in user and nice mode", () => {
    expect(parseCpuTimes(read("stat")).guest).toContainEqual({ labels: { cpu: "1", mode: "nice" }, value: 0 });
    expect(parseCpuTimes("cpu0 1 2 3 4 5 6 7 8 950 25\n").guest).toEqual([
      { labels: { cpu: "0", mode: "user" }, value: 9.5 },
      { labels: { cpu: "0", mode: "nice" }, value: 0.25 },
    ]);
  });
  it("fails naming the missing line", () => {
    expect(() => parseStatActivity("cpu0 1 2 3\nctxt 5\n")).toThrow("no intr line in /proc/stat");
  });
});

describe("filefd, conntrack, pressure", () => {
  it("reads file-nr's allocated and maximum", () => {
    expect(parseFileNr(read("sys/fs/file-nr"))).toEqual({ allocated: 1070, maximum: 2471007 });
  });
  it("sums the per-CPU hexadecimal rows of net/stat/nf_conntrack", () => {
    // The real file (two CPUs, all zero on an idle machine), then the same layout with counts in it.
    expect(parseConntrackStat(read("net/stat/nf_conntrack")).get("insert_failed")).toBe(0);
    const header = read("net/stat/nf_conntrack").split("\n")[0];
    const row = (found: string, drop: string): string =>
      `00000010  00000000 ${found} 00000000 00000000 00000000 00000000 00000000 00000000 00000000 ${drop} ` +
      "00000000 00000000  00000000 00000000 00000000 00000000";
    const stat = parseConntrackStat(`${header}\n${row("0000000a", "00000001")}\n${row("000000ff", "00000002")}\n`);
    expect(stat.get("found")).toBe(10 + 255);
    expect(stat.get("drop")).toBe(3);
    const families = conntrackFamilies(Number(read("sys/net/netfilter/nf_conntrack_count")), 262144, stat);
    expect(families.find((f) => f.name === "muniops_nf_conntrack_found_total")?.samples).toEqual([{ value: 265 }]);
    expect(families.find((f) => f.name === "muniops_nf_conntrack_entries_limit")?.samples).toEqual([{ value: 262144 }]);
  });
  it("reads PSI totals in seconds (the kernel counts microseconds)", () => {
    expect(parsePressure(read("pressure/io"))).toEqual({ some: 5.605734, full: 3.43853 });
  });
});

describe("collectors without their kernel files", () => {
  const empty = mkdtempSync(join(tmpdir(), "muniops-noproc-"));
  afterAll(() => {
    rmSync(empty, { recursive: true, force: true });
  });
  it("conntrack, pressure and timex report nothing and succeed when the kernel lacks the feature", async () => {
    const environment = { procfs: empty, sysfs: empty, rootfs: empty, platform: "linux" as const };
    for (const { collector } of createCollectors({ collectors: ["conntrack", "pressure", "timex"], environment })) {
      await expect(collector.update()).resolves.toEqual([]);
    }
  });
  it("timex reports timesyncd's marker: synchronised, and when it last synchronised", async () => {
    const directory = join(empty, "run", "systemd", "timesync");
    mkdirSync(directory, { recursive: true });
    const environment = { rootfs: empty, platform: "linux" as const };
    const [timex] = createCollectors({ collectors: ["timex"], environment });
    expect((await timex!.collector.update()).map((f) => [f.name, f.samples[0]?.value])).toEqual([
      ["muniops_timex_sync_status", 0],
    ]);
    writeFileSync(join(directory, "synchronized"), "");
    utimesSync(join(directory, "synchronized"), 1764345600, 1764345600);
    expect((await timex!.collector.update()).map((f) => [f.name, f.samples[0]?.value])).toEqual([
      ["muniops_timex_sync_status", 1],
      ["muniops_timex_last_sync_timestamp_seconds", 1764345600],
    ]);
  });
});
