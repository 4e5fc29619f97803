// Operations through the real server: the embedded scraper stores each host's live status (agent output
// from the fixture), the API and page show up/down, CPU busy, memory, fullest filesystem and last scrape,
// list filesystems almost full, keep controllers to their own hosts, and export the SLA report.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { HostStatus } from "../../../dashboard/domain/operations.js";
import { hostStatusRows, percent, slaByService } from "../../../dashboard/domain/operations.js";
import { scrapeInventory } from "../../../dashboard/metering/embeddedSource.js";
import type { InventoryHost } from "../../../contracts/inventory.js";
import { fixtureDir } from "../helpers/handMonth.js";
import { parseCsv } from "../../../dashboard/domain/csv.js";
import { fixedNow, login, startTestDashboard, type Client, type TestDashboard } from "./testServer.js";
import { started } from "../../helpers/started.js";

const agentText = readFileSync(join(fixtureDir, "agent-metrics.prom"), "utf8");
// bel-app-01's root filesystem has 5 % left
const nearlyFull = agentText.replace(
  /^(muniops_filesystem_avail_bytes\{device="\/dev\/vda",fstype="ext4",mountpoint="\/"\}) \d+$/m,
  `$1 ${Math.floor(270553174016 * 0.05)}`,
);
const busier = agentText.replace(
  /^(muniops_cpu_seconds_total\{cpu="\d+",mode="(user|idle)"\}) ([\d.]+)$/gm,
  (_m, series: string, mode: string, value: string) => `${series} ${Number(value) + (mode === "user" ? 15 : 45)}`,
);

const host = (name: string, department: string): InventoryHost => ({
  name,
  address: "192.0.2.1",
  agentPort: 9110,
  department,
  service: "svc",
  role: "app",
  environment: "prod",
  os: "linux",
  vmSize: "Standard_D2s_v5",
  vcpus: 2,
  memoryGiB: 8,
  disks: [],
});

let dashboard: TestDashboard;
let manager: Client;
let operator: Client;
let controller: Client;

beforeAll(async () => {
  dashboard = await startTestDashboard();
  const hosts = [host("bz-app-01", "burgerzaken"), host("bel-app-01", "belastingen"), host("ict-mon-01", "ict")];
  const texts = (round: number): Record<string, string> => ({
    "bz-app-01": round === 1 ? agentText : busier,
    "bel-app-01": nearlyFull,
  });
  for (const round of [1, 2]) {
    await scrapeInventory(dashboard.ledger, hosts, {
      timeoutMs: 1000,
      now: fixedNow - (3 - round) * 60_000,
      fetchers: {
        agent: (h) => {
          const text = texts(round)[h.name];
          return text === undefined ? Promise.reject(new Error("connect ECONNREFUSED")) : Promise.resolve(text);
        },
      },
    });
  }
  [manager, operator, controller] = await Promise.all([
    login(dashboard.url, "manager"),
    login(dashboard.url, "operator"),
    login(dashboard.url, "ctl-bz"),
  ]);
}, 120_000);

afterAll(async () => {
  await started(dashboard)?.close();
});

const hostsOf = async (client: Client, query = ""): Promise<HostStatus[]> =>
  ((await (await client.get(`/api/v1/operations/hosts${query}`)).json()) as { hosts: HostStatus[] }).hosts;

describe("operations", () => {
  test("live status per host: up, CPU busy, memory, fullest filesystem, last scrape", async () => {
    const byName = new Map((await hostsOf(operator)).map((h) => [h.name, h]));
    expect(byName.get("bz-app-01")).toMatchObject({
      up: true,
      lastScrape: new Date(fixedNow - 60_000).toISOString(),
      stale: false,
      // 15 s busy of 60 s per CPU between the two scrapes
      cpuBusyPercent: "25.00",
      memoryUsedPercent: percent(25276026880n - 22229377024n, 25276026880n),
      fullest: { mountpoint: "/", usedPercent: "69.29" },
    });
    expect(byName.get("bel-app-01")?.fullest?.usedPercent).toBe("95.00");
    expect(byName.get("ict-mon-01")).toMatchObject({ up: false, cpuBusyPercent: null, fullest: null });
    expect(byName.get("orphan-01")).toMatchObject({ up: null, lastScrape: null });
  });

  test("filtered by department; a controller sees only their own hosts, whatever they ask", async () => {
    expect((await hostsOf(manager, "?department=belastingen")).map((h) => h.name)).toEqual(["bel-app-01"]);
    expect((await hostsOf(controller)).map((h) => h.name)).toEqual(["bz-app-01"]);
    expect((await controller.get("/api/v1/operations/hosts?department=belastingen")).status).toBe(403);
    const full = (await (await controller.get("/api/v1/operations/filesystems?minUsedPercent=0")).json()) as {
      filesystems: { host: string }[];
    };
    expect(full.filesystems.map((f) => f.host)).toEqual(["bz-app-01"]);
  });

  test("filesystems almost full: only those at or above the threshold, fullest first", async () => {
    const res = (await (await operator.get("/api/v1/operations/filesystems")).json()) as {
      minUsedPercent: number;
      filesystems: { host: string; mountpoint: string; usedPercent: string }[];
    };
    expect(res.minUsedPercent).toBe(90);
    expect(res.filesystems).toEqual([
      expect.objectContaining({ host: "bel-app-01", mountpoint: "/", usedPercent: "95.00" }),
    ]);
    const csv = await (await operator.get("/api/v1/operations/filesystems?minUsedPercent=50&format=csv")).text();
    expect(
      parseCsv(csv)
        .slice(1)
        .map((r) => r.fields[0]),
    ).toEqual(["bel-app-01", "bz-app-01"]);
  });

  test("the SLA report of October per service and host, as JSON, CSV and PDF", async () => {
    const report = (await (await operator.get("/api/v1/operations/sla?period=2026-10")).json()) as {
      target: string;
      services: { service: string; availability: string; met: boolean; hosts: number }[];
      hosts: { name: string; availability: string }[];
      breaches: number;
    };
    expect(report.target).toBe("99.80");
    // the fixture's hosts were up every measured hour
    expect(report.services).toEqual([
      expect.objectContaining({ service: "-", hosts: 4, availability: "100.00", met: true }),
    ]);
    expect(report.hosts.map((h) => h.availability)).toEqual(["100.00", "100.00", "100.00", "100.00"]);
    expect(report.breaches).toBe(0);
    const csv = await (await operator.get("/api/v1/operations/sla?period=2026-10&format=csv")).text();
    expect(csv.split("\r\n")[0]).toBe(
      "period,level,service,host,department,environment,availabilityPercent,targetPercent,result," +
        "measuredHours,gapHours",
    );
    // text quoted, figures bare (csvWriter.ts)
    expect(csv).toContain('"2026-10","host","","bz-app-01","burgerzaken","",100.00,99.80,"met",744,0');
    const pdf = await operator.get("/api/v1/operations/sla?period=2026-10&format=pdf");
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    expect(pdf.headers.get("content-disposition")).toMatch(/sla-2026-10\.pdf/);
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe("%PDF-");
  });

  test("the page shows the status columns, the almost-full list and both exports", async () => {
    const page = await (await operator.get("/operations", { headers: { accept: "text/html" } })).text();
    expect(page).toContain("25,00 %");
    expect(page).toMatch(/Bijna volle bestandssystemen \(1\)/);
    expect(page).toMatch(/▲ 95,00 %/);
    // the last scrape on the municipality's clock (CET in November), exact in the datetime attribute
    expect(page).toContain(`<time datetime="${new Date(fixedNow - 60_000).toISOString()}">15-11-2026 12:59:00</time>`);
    // host names stay on one line; the wide table scrolls in its own focusable region
    expect(page).toContain('<th scope="row" class="nowrap">bz-app-01</th>');
    expect(page).toMatch(/<div class="table-scroll" role="region" aria-labelledby="hosts" tabindex="0"><table>/);
    const english = await (
      await operator.get("/operations", {
        headers: { accept: "text/html", cookie: `${operator.cookie}; muniops_lang=en` },
      })
    ).text();
    expect(english).toContain(
      `<time datetime="${new Date(fixedNow - 60_000).toISOString()}">15/11/2026 12:59:00</time>`,
    );
    expect(english).toContain("25.00 %");
    expect(page).toContain("format=pdf");
    expect(page).toMatch(/✕ Onbereikbaar/);
  });
});

describe("availability arithmetic", () => {
  const base = { department: null, service: "digid", environment: "prod", vcpus: 1, memoryMib: 1024 };
  test("a service's availability weighs its hosts by measured hours, exactly, rounded down", () => {
    const rows = hostStatusRows(
      [
        { ...base, name: "a" },
        { ...base, name: "b" },
        { ...base, name: "c" },
      ],
      new Map(),
      new Map([
        ["a", { upSeconds: 719n * 3600n, measuredHours: 720, gapHours: 24 }],
        ["b", { upSeconds: 0n, measuredHours: 10, gapHours: 0 }],
      ]),
      { target: 99.8, now: fixedNow },
    );
    expect(rows.map((r) => [r.availability, r.slaMet])).toEqual([
      ["99.86", true],
      ["0.00", false],
      [null, null],
    ]);
    // (719 h up) / (730 h measured) = 98.4931… %: gap hours count for neither side
    expect(slaByService(rows, 99.8)).toEqual([
      {
        service: "digid",
        hosts: 3,
        availability: "98.49",
        target: "99.80",
        met: false,
        measuredHours: 730,
        gapHours: 24,
      },
    ]);
    expect(percent(2n, 3n)).toBe("66.66");
  });
});
