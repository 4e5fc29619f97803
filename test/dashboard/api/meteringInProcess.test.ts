// `muniops dashboard` meters on a schedule inside its own process (issue 6): started with an inventory,
// it scrapes the agents at once and records what it found in the ledger, without `muniops meter`.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openLedger } from "../../../dashboard/data-access/database.js";
import { repoRoot, runCli } from "../../helpers/cli.js";
import { started } from "../../helpers/started.js";

const agentText = readFileSync(join(repoRoot, "test", "fixtures", "dashboard", "agent-metrics.prom"), "utf8");

describe("muniops dashboard meters the inventory in-process", () => {
  const dir = mkdtempSync(join(tmpdir(), "muniops-dash-meter-"));
  let agent: Server;
  let inventoryPath: string;

  beforeAll(async () => {
    agent = createServer((_req, res) => {
      res.setHeader("content-type", "text/plain; version=0.0.4");
      res.end(agentText);
    });
    await new Promise<void>((resolve) => agent.listen(0, "127.0.0.1", resolve));
    const address = agent.address();
    const port = typeof address === "object" && address ? address.port : 0;
    const inventory = JSON.parse(readFileSync(join(repoRoot, "test", "fixtures", "inventory.json"), "utf8")) as {
      hosts: Record<string, unknown>[];
    };
    inventoryPath = join(dir, "inventory.json");
    writeFileSync(
      inventoryPath,
      JSON.stringify({ ...inventory, hosts: [{ ...inventory.hosts[0], address: "127.0.0.1", agentPort: port }] }),
    );
  });
  afterAll(async () => {
    if (started(agent)) await new Promise((resolve) => agent.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it("scrapes the inventory's agents into the ledger while serving", { timeout: 90_000 }, async () => {
    const db = join(dir, "ledger.db");
    // the dashboard opens an existing ledger only
    const migrated = await runCli(["db", "migrate", "--database-url", db]);
    expect(migrated.code, migrated.stderr).toBe(0);
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        join(repoRoot, "muniops.ts"),
        "dashboard",
        "--log-level",
        "warn",
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        "--database-url",
        db,
        "--inventory",
        inventoryPath,
      ],
      { cwd: repoRoot, stdio: ["ignore", "ignore", "pipe"] },
    );
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      const deadline = Date.now() + 60_000;
      let rows: { host: string; up: number }[] = [];
      while (Date.now() < deadline && rows.length === 0) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        if (child.exitCode !== null) throw new Error(`dashboard exited with ${child.exitCode}: ${stderr}`);
        if (!stderr.includes("metering")) continue;
        const ledger = await openLedger(db);
        try {
          rows = await ledger.db.selectFrom("scrape_samples").select(["host", "up"]).execute();
        } finally {
          await ledger.close();
        }
      }
      expect(stderr).toContain(`metering ${inventoryPath} every minute from the agents (embedded mode)`);
      expect(rows).toContainEqual({ host: "bz-app-01", up: 1 });
    } finally {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
    }
  });

  it("refuses an --inventory that does not exist, naming the flag", async () => {
    const result = await runCli([
      "dashboard",
      "--port",
      "0",
      "--database-url",
      join(dir, "other.db"),
      "--inventory",
      join(dir, "nope.json"),
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`--inventory ${join(dir, "nope.json")} does not exist`);
  });
});
