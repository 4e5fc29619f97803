// The ledger commands as a user runs them: exit codes, one-line errors, and the files they write.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { fixtureDir } from "./helpers/handMonth.js";

const dir = mkdtempSync(join(tmpdir(), "muniops-ledger-cli-"));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});
const env = { MUNIOPS_DATABASE_URL: join(dir, "ledger.db"), MUNIOPS_LEDGER_ACTOR: "cli-test" };

describe("muniops ledger commands", () => {
  it("migrate, import, refuse a bad import, close, verify and export a statement", { timeout: 180_000 }, async () => {
    const migrate = await runCli(["db", "migrate"], { env });
    expect(migrate.stdout).toMatch(/applied 0001_ledger/);

    const imported = await runCli(["ledger", "import", join(fixtureDir, "hand-month.yaml")], { env });
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/17 changes imported/);

    const bad = await runCli(["ledger", "import", join(fixtureDir, "bad-import.yaml")], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/4 bad rows, nothing imported/);
    expect(bad.stderr).toMatch(/bad-import\.yaml:10: licenceContracts\[0\]\.end: end is before start/);

    const wrongPeriod = await runCli(["close", "--period", "2026-13"], { env });
    expect(wrongPeriod.code).toBe(2);
    expect(wrongPeriod.stderr.trim()).toBe(
      'muniops: --period must be a month as YYYY-MM (e.g. 2026-10), got "2026-13"',
    );

    // Imported but never metered: every host-hour of October is missing, and the close says so (issue 6).
    const unmetered = await runCli(["close", "--period", "2026-10"], { env });
    expect(unmetered.code).toBe(1);
    expect(unmetered.stderr.trim()).toBe(
      "muniops: period 2026-10 has 2736 host-hours never metered (bel-app-01 744 h of 2026-10-01 to " +
        "2026-10-31, bz-app-01 744 h of 2026-10-01 to 2026-10-31, ict-mon-01 504 h of 2026-10-11 to 2026-10-31 " +
        "and 1 more host): run `muniops meter` to backfill them, or close with --accept-gaps to leave them " +
        "unbilled",
    );
    const closed = await runCli(["close", "--period", "2026-10", "--accept-gaps"], { env });
    expect(closed.code, closed.stderr).toBe(0);
    expect(closed.stdout).toMatch(/^closed 2026-10: total € 3000\.01, hash [0-9a-f]{64}\n$/);

    const pdf = join(dir, "bz.pdf");
    const statement = await runCli(
      ["statement", "--period", "2026-10", "--department", "burgerzaken", "--format", "pdf", "--out", pdf],
      { env },
    );
    expect(statement.code, statement.stderr).toBe(0);
    expect(existsSync(pdf) && readFileSync(pdf).subarray(0, 5).toString()).toBe("%PDF-");
  });
});
