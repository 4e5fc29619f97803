// A ledger is created only on purpose (`muniops db migrate`, or `ledger import --create`): a mistyped
// database path or an empty PostgreSQL database fails naming it and the command that creates a ledger,
// instead of answering with the zeros of a new, empty ledger.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LedgerMissingError, openLedger } from "../../dashboard/data-access/database.js";
import { runCli } from "../helpers/cli.js";
import { fixtureDir } from "./helpers/handMonth.js";
import { postgresBackend } from "./helpers/backends.js";

const dir = mkdtempSync(join(tmpdir(), "muniops-create-"));
const postgres = postgresBackend();
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await postgres.cleanup();
});

const refusal = (location: string): string =>
  `there is no ledger file ${location}: check --database-url (MUNIOPS_DATABASE_URL), ` +
  `or create the ledger with \`muniops db migrate --database-url ${location}\``;

describe("a ledger that is not there", () => {
  it("is refused by chargeback, users and the dashboard, naming the path, and not created", async () => {
    const typo = join(dir, "ledgr.db");
    const chargeback = await runCli(["chargeback", "--period", "2026-10", "--database-url", typo]);
    expect(chargeback.code).toBe(2);
    expect(chargeback.stderr).toBe(`muniops: ${refusal(typo)}\n`);
    expect(chargeback.stdout).toBe("");
    const users = await runCli(["users", "list", "--database-url", typo]);
    expect(users.code).toBe(2);
    expect(users.stderr).toBe(`muniops: ${refusal(typo)}\n`);
    const dashboard = await runCli(["dashboard", "--port", "0", "--database-url", typo]);
    expect(dashboard.code).toBe(2);
    expect(dashboard.stderr).toBe(`muniops: ${refusal(typo)}\n`);
    expect(existsSync(typo)).toBe(false);
  });

  it("is created by ledger import --create, and then found", async () => {
    const path = join(dir, "new", "ledger.db");
    const file = join(fixtureDir, "hand-month.yaml");
    const imported = await runCli(["ledger", "import", file, "--create", "--database-url", path]);
    expect(imported.code, imported.stderr).toBe(0);
    const chargeback = await runCli(["chargeback", "--period", "2026-10", "--database-url", path]);
    expect(chargeback.code, chargeback.stderr).toBe(0);
    expect(JSON.parse(chargeback.stdout)).toMatchObject({ period: "2026-10", status: "open" });
  });

  it("is refused in-process too, unless created on purpose", async () => {
    const path = join(dir, "library.db");
    await expect(openLedger(path)).rejects.toBeInstanceOf(LedgerMissingError);
    expect(existsSync(path)).toBe(false);
    const created = await openLedger(path, { create: true });
    await created.close();
    const reopened = await openLedger(path);
    await reopened.close();
  });

  it("on PostgreSQL: an empty database is not a ledger until migrated", async () => {
    const url = await postgres.createUrl();
    const location = `postgres://${new URL(url).host}${new URL(url).pathname}`;
    const refused = await runCli(["chargeback", "--period", "2026-10", "--database-url", url]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`muniops: there is no muniops ledger in ${location}: check --database-url`);
    const migrated = await runCli(["db", "migrate", "--database-url", url]);
    expect(migrated.code, migrated.stderr).toBe(0);
    const chargeback = await runCli(["chargeback", "--period", "2026-10", "--database-url", url]);
    expect(chargeback.code, chargeback.stderr).toBe(0);
  });
});
