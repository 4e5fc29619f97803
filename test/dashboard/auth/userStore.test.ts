// Account creation's password rule: at least minPasswordLength characters, except for the demo's own
// accounts, which ask for the exception explicitly.
import { afterAll, expect, test } from "vitest";
import { verifyPassword, minPasswordLength } from "../../../dashboard/auth/password.js";
import { addUser, findUser, prepareAuthTables } from "../../../dashboard/auth/userStore.js";
import { UsageError } from "../../../errors.js";
import { freshLedger, sqliteBackend } from "../helpers/backends.js";

const backend = sqliteBackend();
afterAll(() => backend.cleanup());

test("a password shorter than the minimum is refused unless the caller allows it (the demo's accounts)", async () => {
  const ledger = await freshLedger(backend);
  try {
    await prepareAuthTables(ledger);
    const short = "x".repeat(minPasswordLength - 1);
    await expect(addUser(ledger, { username: "alice", password: short, role: "admin" }, "test")).rejects.toThrow(
      UsageError,
    );
    expect(await findUser(ledger, "alice")).toBeUndefined();

    await addUser(ledger, { username: "demo-admin", password: "demo", role: "admin" }, "muniops demo", {
      allowShortPassword: true,
    });
    const stored = await findUser(ledger, "demo-admin");
    expect(stored && (await verifyPassword("demo", stored.passwordHash))).toBe(true);
  } finally {
    await ledger.close();
  }
});
