// The rollouts of `muniops agents deploy` on the operations page and at /api/v1/operations/rollouts: read
// from the rollout's history file (MUNIOPS_ROLLOUT_HISTORY_FILE), newest first; a controller sees only
// the rows of their own departments' hosts, and only rollouts that touched them.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { RolloutRecord } from "../../../contracts/rolloutHistory.js";
import { parseCsv } from "../../../dashboard/domain/csv.js";
import { useTestDashboard } from "./testServer.js";

const t = useTestDashboard(["operator", "ctl-bz"]);
let dir: string | undefined;

const record = (id: string, version: string, hosts: string[], status: RolloutRecord["status"]): RolloutRecord => ({
  ...{ id, operation: "deploy", user: "beheer", deployer: "ops-01", status, version, bundleSha256: "ab" },
  ...{ startedAt: `2026-11-1${id}T10:00:00.000Z`, finishedAt: `2026-11-1${id}T10:05:00.000Z` },
  options: { canary: 1, waveSize: "50%", maxFailures: "0", order: "environment", parallel: 10, resume: false },
  hosts: hosts.map((host, i) => ({
    host,
    address: "10.0.0.1",
    wave: i === 0 ? 0 : 1,
    status: "deployed",
    durationMs: 1,
  })),
  waves: [
    { wave: 0, name: "canary", hosts: 1, ok: 1, failed: 0, rolledBack: 0, notStarted: 0, maxFailures: 0, status: "ok" },
  ],
});

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "muniops-rollouts-"));
  const file = join(dir, "rollout-history.jsonl");
  const lines = [
    record("1", "1.0.0", ["bel-app-01"], "completed"),
    record("2", "1.1.0", ["bz-app-01", "bel-app-01"], "stopped"),
  ];
  writeFileSync(file, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
  process.env.MUNIOPS_ROLLOUT_HISTORY_FILE = file;
});

afterAll(() => {
  delete process.env.MUNIOPS_ROLLOUT_HISTORY_FILE;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("rollouts on the operations page and API", () => {
  test("newest first, with every host's result; CSV one row per rollout", async () => {
    const res = (await (await t.operator.get("/api/v1/operations/rollouts")).json()) as { rollouts: RolloutRecord[] };
    expect(res.rollouts.map((r) => [r.version, r.status, r.hosts.length])).toEqual([
      ["1.1.0", "stopped", 2],
      ["1.0.0", "completed", 1],
    ]);
    const csv = parseCsv(await (await t.operator.get("/api/v1/operations/rollouts?format=csv")).text());
    expect(csv[0]?.fields.slice(0, 6)).toEqual(["id", "startedAt", "finishedAt", "user", "version", "status"]);
    expect(csv.slice(1).map((r) => r.fields[4])).toEqual(["1.1.0", "1.0.0"]);
  });

  test("a controller sees only their own hosts' rows", async () => {
    const res = (await (await t["ctl-bz"].get("/api/v1/operations/rollouts")).json()) as { rollouts: RolloutRecord[] };
    expect(res.rollouts.map((r) => [r.version, r.hosts.map((h) => h.host)])).toEqual([["1.1.0", ["bz-app-01"]]]);
  });

  test("the operations page lists them", async () => {
    const page = await (await t.operator.get("/operations")).text();
    expect(page).toContain("Uitrol van de agent (2)");
    expect(page).toContain("canary: ok");
    expect(page).toContain("1.1.0");
  });
});
