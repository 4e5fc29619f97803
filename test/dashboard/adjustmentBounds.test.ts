// Adjustment bounds, one rule for the CLI, the JSON API and the form: a non-zero amount within the
// configurable limit (ledger.adjustmentLimit, default €1,000,000), a month no later than next month,
// a reason of plain text. Each refusal names the field and what would be valid, and changes nothing.
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkAdjustment, type NewAdjustment } from "../../dashboard/app/adjustments.js";
import { currentPeriod, nextPeriod } from "../../dashboard/domain/period.js";
import { runCli } from "../helpers/cli.js";
import { seededLedgerFile, useTestDashboard } from "./api/testServer.js";

const base: NewAdjustment = {
  period: "2026-11",
  department: "burgerzaken",
  amountCents: -1250n,
  reason: "x",
  actor: "anna",
};
const beyond = (amount: string): string =>
  `adjustment amount ${amount} is beyond the limit of ±1000000.00 euros (ledger.adjustmentLimit)`;
const zero = "adjustment amount is zero: give a non-zero amount in euros (a negative one credits)";
const farAhead = "adjustment period 9999-12 is too far ahead: give an open month no later than next month (2026-12)";
const control = (code: string, at: number): string =>
  `adjustment reason contains the control character ${code} at position ${at}: give plain text on one line`;
const rules = { maxAmountCents: 100_000_000n, now: Date.parse("2026-11-15T12:00:00Z") };

describe("checkAdjustment", () => {
  it.each([
    ["a zero amount", { amountCents: 0n }, zero],
    ["a month far ahead", { period: "9999-12" }, farAhead],
    ["an amount beyond the limit", { amountCents: 99_999_999_999_999n }, beyond("999999999999.99")],
    ["a credit beyond the limit", { amountCents: -100_000_001n }, beyond("-1000000.01")],
    ["a bell character", { reason: "credit\u0007" }, control("U+0007", 7)],
    ["a line break", { reason: "credit\r\n=1+1" }, control("U+000D", 7)],
    ["a right-to-left override", { reason: "credit \u202Eeteled" }, control("U+202E", 8)],
    [
      "a reason of 501 characters",
      { reason: "x".repeat(501) },
      "adjustment reason is 501 characters long: at most 500",
    ],
  ])("refuses %s", (_name, change, message) => {
    expect(() => {
      checkAdjustment({ ...base, ...change }, rules);
    }).toThrow(message);
  });

  it("accepts next month, the limit itself, and accented text", () => {
    const atTheEdges = { ...base, period: "2026-12", amountCents: 100_000_000n, reason: "crédit café" };
    expect(() => {
      checkAdjustment(atTheEdges, rules);
    }).not.toThrow();
  });
});

describe("the API and the form", () => {
  const t = useTestDashboard(["manager"]);
  const ahead = nextPeriod(nextPeriod(currentPeriod()));

  it.each([
    ["a zero amount", { amount: "0.00" }, "adjustment amount is zero"],
    ["a far month", { period: "9999-12" }, "adjustment period 9999-12 is too far ahead"],
    ["the month after next", { period: ahead }, `adjustment period ${ahead} is too far ahead`],
    ["a huge amount", { amount: "-999999999999.99" }, "adjustment amount -999999999999.99 is beyond the limit"],
    ["a control character", { reason: "credit\u001b[31m" }, "adjustment reason contains the control character U+001B"],
  ])("refuse %s with 400, naming it, and store nothing", async (_name, change, message) => {
    const count = async () => {
      const listed = await (await t.manager.get("/api/v1/adjustments?period=2026-11")).json();
      return (listed as { adjustments: unknown[] }).adjustments.length;
    };
    const before = await count();
    const body = { period: "2026-11", department: "burgerzaken", amount: "-12.50", reason: "outage credit", ...change };
    const api = await t.manager.post("/api/v1/adjustments", body);
    expect(api.status).toBe(400);
    expect(JSON.stringify(await api.json())).toContain(message);
    const form = await t.manager.post("/adjustments", body, { form: true });
    expect(form.status).toBe(400);
    expect(await form.text()).toContain(message.replace(/±/g, "&#177;").slice(0, 30));
    expect(await count()).toBe(before);
  });
});

describe("muniops ledger adjust", () => {
  let dir: string;
  let db: string;
  beforeAll(async () => {
    const seeded = await seededLedgerFile();
    dir = seeded.dir;
    db = join(mkdtempSync(join(tmpdir(), "muniops-adjust-")), "ledger.db");
    copyFileSync(seeded.path, db);
  }, 120_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const adjust = (...args: string[]) => {
    const line = ["--period", currentPeriod(), "--department", "burgerzaken", "--reason", "outage"];
    return runCli(["ledger", "adjust", ...line, ...args, "--database-url", db]);
  };

  it("refuses zero and an amount beyond the limit, and takes a raised limit", async () => {
    const nothing = await adjust("--amount", "0");
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toBe(`muniops: ${zero}\n`);
    const big = await adjust("--amount", "2500000");
    expect(big.code).toBe(2);
    expect(big.stderr).toBe(`muniops: ${beyond("2500000.00")}\n`);
    const raised = await adjust("--amount", "2500000", "--adjustment-limit", "5000000");
    expect(raised.stderr).toBe("");
    expect(raised.code).toBe(0);
    const badLimit = await adjust("--amount", "1", "--adjustment-limit", "lots");
    expect(badLimit.code).toBe(2);
    const invalid = "--adjustment-limit: ledger.adjustmentLimit: a positive amount in euros like 1000000 or 25000.50";
    expect(badLimit.stderr).toContain(invalid);
  });
});
