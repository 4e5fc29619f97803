// Load the hand-computed October 2026 fixture into a ledger: master data through the real import, usage
// through the real hourly writer.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Ledger } from "../../../dashboard/data-access/database.js";
import { recordHour, rollup, type UsageRow } from "../../../dashboard/data-access/usage.js";
import { importMasterData } from "../../../dashboard/app/ledgerImport.js";
import { hoursBetween } from "../../../dashboard/domain/period.js";
import { repoRoot } from "../../helpers/cli.js";

export const fixtureDir = join(repoRoot, "test/fixtures/dashboard");

interface UsageFixture {
  hosts: {
    name: string;
    department: string | null;
    vcpus: number;
    memoryGiB: number;
    fsUsedBytes: number;
    from: string;
  }[];
  shares: { name: string; department: string | null; usedBytes: number; from: string }[];
}

export async function seedHandMonth(ledger: Ledger): Promise<void> {
  await importMasterData(ledger, readFileSync(join(fixtureDir, "hand-month.yaml"), "utf8"), {
    format: "yaml",
    source: "hand-month.yaml",
    actor: "test",
  });
  const usage = JSON.parse(readFileSync(join(fixtureDir, "hand-month.usage.json"), "utf8")) as UsageFixture;
  const hours = hoursBetween("2026-10-01T00", "2026-10-31T23");
  for (const hour of hours) {
    const rows: UsageRow[] = [];
    for (const h of usage.hosts.filter((x) => x.from <= hour)) {
      rows.push(
        { subject: h.name, meter: "up_seconds", department: h.department, value: 3600n, status: "ok" },
        { subject: h.name, meter: "vcpus", department: h.department, value: BigInt(h.vcpus), status: "ok" },
        {
          subject: h.name,
          meter: "memory_bytes",
          department: h.department,
          value: BigInt(h.memoryGiB) * 1024n ** 3n,
          status: "ok",
        },
        {
          subject: h.name,
          meter: "fs_used_bytes",
          department: h.department,
          value: BigInt(h.fsUsedBytes),
          status: "ok",
        },
      );
    }
    for (const s of usage.shares.filter((x) => x.from <= hour))
      rows.push({
        subject: s.name,
        meter: "share_used_bytes",
        department: s.department,
        value: BigInt(s.usedBytes),
        status: "ok",
      });
    await recordHour(ledger.db, ledger.dialect, hour, rows);
  }
  await rollup(
    ledger.db,
    hours.map((h) => h.slice(0, 10)),
  );
}
