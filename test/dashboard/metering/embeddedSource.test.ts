// Embedded mode: metering scrapes the agents itself (real agent output, captured from `muniops agent`,
// served by small HTTP servers), attaches the inventory's department, and turns the samples of an hour
// into that hour's usage. An agentless (ssh) host plugs in through an injected fetcher.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openLedger, type Ledger } from "../../../dashboard/data-access/database.js";
import { hourlyRows } from "../../../dashboard/data-access/usage.js";
import { addHours, hourStart } from "../../../dashboard/domain/period.js";
import { EmbeddedSource, scrapeInventory } from "../../../dashboard/metering/embeddedSource.js";
import { parseExposition, usedFilesystemBytes } from "../../../dashboard/metering/exposition.js";
import { meter } from "../../../dashboard/metering/meter.js";
import type { Inventory, InventoryHost } from "../../../contracts/inventory.js";
import { fixtureDir } from "../helpers/handMonth.js";
import { testDepartments, testHost, testInventory } from "../helpers/inventory.js";
import { started } from "../../helpers/started.js";

const agentText = readFileSync(join(fixtureDir, "agent-metrics.prom"), "utf8");
// From the fixture: / on /dev/vda (ext4) is size − free; the tmpfs on /run is excluded.
const rootUsed = 270553174016n - 244679544832n;

function serve(text: string): Promise<{ server: Server; port: number }> {
  const server = createServer((_req, res) => {
    res.setHeader("content-type", "text/plain; version=0.0.4");
    res.end(text);
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const a = server.address();
      resolve({ server, port: typeof a === "object" && a ? a.port : 0 });
    }),
  );
}

describe("exposition parsing", () => {
  it("sums used bytes over included filesystems, each device once", () => {
    expect(usedFilesystemBytes(parseExposition(agentText))).toBe(rootUsed);
    const bind =
      agentText +
      'muniops_filesystem_size_bytes{device="/dev/vda",fstype="ext4",mountpoint="/srv"} ' +
      '270553174016\nmuniops_filesystem_free_bytes{device="/dev/vda",fstype="ext4",mountpoint="/srv"} ' +
      "244679544832\n";
    expect(usedFilesystemBytes(parseExposition(bind))).toBe(rootUsed);
    expect(usedFilesystemBytes(parseExposition("muniops_load1 0.5\n"))).toBeNull();
  });
});

describe("embedded metering", () => {
  let dir: string;
  let ledger: Ledger;
  let a: { server: Server; port: number };
  let b: { server: Server; port: number };
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "muniops-embedded-"));
    ledger = await openLedger(join(dir, "ledger.db"), { create: true });
    a = await serve(agentText);
    b = await serve(agentText);
  });
  afterAll(async () => {
    await started(ledger)?.close();
    started(a)?.server.close();
    started(b)?.server.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("scrapes each host, attaches its department, and meters the hour from its samples", async () => {
    const host = (name: string, port: number, department: string, collect?: "ssh"): InventoryHost =>
      testHost(name, department, { agentPort: port, ...(collect ? { collect } : {}) });
    const inventory: Inventory = testInventory(
      "embedded",
      [
        host("bz-app-01", a.port, "burgerzaken"),
        host("bz-app-02", b.port, "burgerzaken"),
        host("fw-01", 1, "ict", "ssh"),
      ],
      {
        departments: testDepartments.filter((d) => d.id !== "belastingen"),
        shares: [{ name: "burgerzaken", department: "burgerzaken", quotaGiB: 100, tier: "Hot" }],
      },
    );
    const ssh = (h: InventoryHost): Promise<string> => Promise.resolve(h.name === "fw-01" ? agentText : "");
    const hour = "2026-11-20T10";
    const scrapeAt = async (minute: number): Promise<void> => {
      await scrapeInventory(ledger, inventory.hosts, {
        timeoutMs: 2000,
        fetchers: { ssh },
        now: hourStart(hour) + minute * 60_000,
      });
    };
    await scrapeAt(10);
    await new Promise((r) => b.server.close(r)); // bz-app-02 goes down for the second scrape
    await scrapeAt(30);
    b = await serve(agentText);
    inventory.hosts[1] = host("bz-app-02", b.port, "burgerzaken");
    await scrapeAt(50);

    const departments = new Map(inventory.hosts.map((h) => [h.name, h.department]));
    const source = new EmbeddedSource(ledger, (h) => departments.get(h) ?? null);
    const result = await meter(ledger, {
      inventory,
      source,
      from: hour,
      to: addHours(hour, 1),
      maxCatchUpMs: 86_400_000,
      now: hourStart(hour) + 2 * 3_600_000,
    });
    expect(result.hours).toBe(2);
    const rows = await hourlyRows(ledger.db, { from: hour, to: hour });
    const get = (subject: string, m: string): [string | null, bigint | null, string] | undefined => {
      const r = rows.find((x) => x.subject === subject && x.meter === m);
      return r && [r.department, r.value, r.status];
    };
    expect(get("bz-app-01", "up_seconds")).toEqual(["burgerzaken", 3600n, "ok"]);
    expect(get("bz-app-02", "up_seconds")).toEqual(["burgerzaken", 2400n, "ok"]);
    expect(get("fw-01", "up_seconds")).toEqual(["ict", 3600n, "ok"]);
    expect(get("bz-app-01", "fs_used_bytes")).toEqual(["burgerzaken", rootUsed, "ok"]);
    expect(get("bz-app-02", "fs_used_bytes")).toEqual(["burgerzaken", rootUsed, "ok"]);
    expect(get("bz-app-01", "vcpus")).toEqual(["burgerzaken", 2n, "ok"]);
    // The next hour had no scrapes at all: a gap, not zero.
    const next = await hourlyRows(ledger.db, {
      from: addHours(hour, 1),
      to: addHours(hour, 1),
      meter: "fs_used_bytes",
    });
    expect(next.map((r) => [r.subject, r.status, r.value])).toEqual([
      ["bz-app-01", "gap", null],
      ["bz-app-02", "gap", null],
      ["fw-01", "gap", null],
    ]);
  });
});
