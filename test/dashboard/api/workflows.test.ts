// The month close through the API (preview, confirmation, sign-off and dispute by the controller),
// adjustments and rate versions through forms, statement downloads, accounts and sessions.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { openLedger } from "../../../dashboard/data-access/database.js";
import { createSession, findSession, setDisabled } from "../../../dashboard/auth/userStore.js";
import { hashPassword, verifyPassword } from "../../../dashboard/auth/password.js";
import { repoRoot } from "../../helpers/cli.js";
import { parseCsv } from "../../../dashboard/domain/csv.js";
import { login, password, startTestDashboard, tryLogin, useTestDashboard } from "./testServer.js";

const t = useTestDashboard([], { loginAttempts: 3 });

describe("period close and sign-off", () => {
  test("a manager closes October; the controller signs off their own statement and disputes nothing else", async () => {
    const manager = await login(t.dashboard.url, "manager");
    const preview = (await (await manager.get("/api/v1/chargeback?period=2026-10")).json()) as {
      status: string;
      total: string;
    };
    expect(preview.status).toBe("open");
    const closed = await manager.post("/api/v1/periods/2026-10/close", { confirm: true });
    expect(closed.status).toBe(201);
    const result = (await closed.json()) as { hash: string; total: string };
    expect(result.total).toBe(preview.total);
    expect(result.hash).toMatch(/^[0-9a-f]{64}$/);
    const after = (await (await manager.get("/api/v1/chargeback?period=2026-10")).json()) as {
      status: string;
      total: string;
    };
    expect(after).toMatchObject({ status: "closed", total: preview.total });
    const again = await manager.post("/api/v1/periods/2026-10/close", { confirm: true });
    expect(again.status).toBe(409);

    const controller = await login(t.dashboard.url, "ctl-bz");
    const signed = await controller.post(
      "/departments/burgerzaken/statement",
      { period: "2026-10", status: "signed-off" },
      { form: true },
    );
    expect(signed.status).toBe(303);
    const page = await (await controller.get("/departments/burgerzaken?period=2026-10")).text();
    expect(page).toMatch(/data-testid="statement-status">Akkoord</);
    const dispute = await controller.post("/api/v1/periods/2026-10/statements/burgerzaken", { status: "disputed" });
    expect(dispute.status).toBe(400); // a dispute needs a reason
    const disputed = await controller.post("/api/v1/periods/2026-10/statements/burgerzaken", {
      status: "disputed",
      comment: "storage too high",
    });
    expect(disputed.status).toBe(200);
    expect(await disputed.json()).toMatchObject({ status: "disputed", comment: "storage too high", actor: "ctl-bz" });

    const audit = (await (
      await (await login(t.dashboard.url, "auditor")).get("/api/v1/audit-log?limit=20")
    ).json()) as { entries: { action: string; actor: string; entityId: string }[] };
    expect(audit.entries.map((e) => `${e.action} ${e.actor} ${e.entityId}`)).toEqual(
      expect.arrayContaining([
        "close manager 2026-10",
        "sign-off ctl-bz 2026-10/burgerzaken",
        "dispute ctl-bz 2026-10/burgerzaken",
      ]),
    );
  });

  test("the statement downloads: CSV lines add up to the department total, PDF is a PDF", async () => {
    const controller = await login(t.dashboard.url, "ctl-bz");
    const csv = await controller.get("/api/v1/departments/burgerzaken/statement?period=2026-10&format=csv");
    expect(csv.headers.get("content-disposition")).toMatch(
      /attachment; filename="?statement-burgerzaken-2026-10.csv"?/,
    );
    const rows = parseCsv(await csv.text()).map((r) => r.fields);
    // Columns: period, status, department, costCenter, costType, …, amountEur; subtotal rows and one total row follow
    // the lines.
    const lineSum = rows
      .slice(1)
      .filter((r) => r[4] !== "subtotal" && r[4] !== "total")
      .reduce((sum, r) => sum + Math.round(Number(r.at(-1)) * 100), 0);
    const total = rows.find((r) => r[4] === "total")?.at(-1);
    expect(lineSum).toBe(Math.round(Number(total) * 100));
    const pdf = await controller.get("/api/v1/departments/burgerzaken/statement?period=2026-10&format=pdf");
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe("%PDF-");
  });

  test("forms: an adjustment in the open month and a new rate version are saved and audited", async () => {
    const manager = await login(t.dashboard.url, "manager");
    const adj = await manager.post(
      "/adjustments",
      {
        period: "2026-11",
        department: "burgerzaken",
        amount: "-12,50",
        reason: "credit for outage",
        refersToPeriod: "2026-10",
      },
      { form: true },
    );
    expect(adj.status).toBe(303);
    const list = (await (await manager.get("/api/v1/adjustments?period=2026-11")).json()) as {
      adjustments: { amount: string; refersToPeriod: string }[];
    };
    expect(list.adjustments).toContainEqual(expect.objectContaining({ amount: "-12.50", refersToPeriod: "2026-10" }));
    // the form sends every meter's price (it is pre-filled with the current ones)
    const prices = {
      "price.compute.vcpuHour": "0.025",
      "price.compute.memoryGibHour": "0,005",
      "price.storage.serverGbMonth": "0.10",
      "price.storage.shareGbMonth": "0.05",
    };
    const rate = await manager.post(
      "/rates",
      { validFrom: "2026-12-01", ...prices, note: "2027 prep" },
      { form: true },
    );
    expect(rate.status).toBe(303);
    const versions = (await (await manager.get("/api/v1/rates")).json()) as {
      versions: { validFrom: string; prices: Record<string, string> }[];
    };
    expect(versions.versions.at(-1)).toMatchObject({
      validFrom: "2026-12-01",
      prices: { "compute.vcpuHour": "0.025" },
    });
    // a rate version inside the closed October is refused by the ledger: 409, not 500
    const closedRate = await manager.post("/api/v1/rates", {
      validFrom: "2026-10-20",
      prices: {
        "compute.vcpuHour": "1.00",
        "compute.memoryGibHour": "0.005",
        "storage.serverGbMonth": "0.10",
        "storage.shareGbMonth": "0.05",
      },
    });
    expect(closedRate.status).toBe(409);
  });

  test("licence assignments: a manager edits, the free seats follow", async () => {
    const manager = await login(t.dashboard.url, "manager");
    const before = (await (await manager.get("/api/v1/licences?day=2026-11-20")).json()) as {
      products: { productId: string; free: number }[];
    };
    const res = await manager.post("/api/v1/licences/assignments", {
      id: "a-bz-extra",
      productId: "m365-e3",
      department: "burgerzaken",
      seats: 4,
      validFrom: "2026-11-15",
    });
    expect(res.status).toBe(201);
    const after = (await (await manager.get("/api/v1/licences?day=2026-11-20")).json()) as {
      products: { productId: string; free: number }[];
    };
    expect(after.products[0]?.free).toBe((before.products[0]?.free ?? 0) - 4);
    // one starting inside the closed October is refused by the ledger, as a rate version is
    expect(
      (
        await manager.post("/api/v1/licences/assignments", {
          id: "a-bz-october",
          productId: "m365-e3",
          department: "burgerzaken",
          seats: 1,
          validFrom: "2026-10-20",
        })
      ).status,
    ).toBe(409);
  });

  test("the OpenAPI document declares the 409 each master-data write answers for a closed month", async () => {
    const doc = (await (await fetch(`${t.dashboard.url}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, { post?: { responses: Record<string, unknown> } }>;
    };
    for (const path of ["/rates", "/licences/assignments", "/cost-items"])
      expect(Object.keys(doc.paths[path]?.post?.responses ?? {}), path).toContain("409");
  });
});

describe("accounts and sessions", () => {
  test("a disabled account loses its sessions and cannot log in", async () => {
    const auditor = await login(t.dashboard.url, "auditor");
    expect((await auditor.get("/api/v1/me")).status).toBe(200);
    await setDisabled(t.dashboard.ledger, "auditor", true, "test");
    expect((await auditor.get("/api/v1/me")).status).toBe(401);
    expect((await tryLogin(t.dashboard.url, "auditor", password)).status).toBe(401);
    await setDisabled(t.dashboard.ledger, "auditor", false, "test");
  });

  test("sessions expire; only the token's hash is stored", async () => {
    const now = Date.now();
    const session = await createSession(t.dashboard.ledger, "admin", 60_000, now);
    expect(await findSession(t.dashboard.ledger, session.token, now + 59_000)).toBeDefined();
    expect(await findSession(t.dashboard.ledger, session.token, now + 61_000)).toBeUndefined();
    const stored = await t.dashboard.ledger.db
      .withTables<{ dashboard_sessions: { id_hash: string } }>()
      .selectFrom("dashboard_sessions")
      .select("id_hash")
      .execute();
    expect(stored.map((s) => s.id_hash)).not.toContain(session.token);
  });

  test("scrypt hashes verify only the right password and carry their parameters", async () => {
    const hash = await hashPassword("a long enough password");
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(await verifyPassword("a long enough password", hash)).toBe(true);
    expect(await verifyPassword("a long enough passworD", hash)).toBe(false);
    expect(await hashPassword("a long enough password")).not.toBe(hash);
  });

  test("muniops users add reads the password from stdin; a bad role is a usage error", async () => {
    const path = join(t.dashboard.dir, "users-cli.db");
    const run = (args: string[], input: string) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(
          process.execPath,
          ["--import", "tsx", join(repoRoot, "muniops.ts"), ...args, "--database-url", path],
          { cwd: repoRoot },
        );
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        child.on("close", (code) => {
          resolve({ code, stdout, stderr });
        });
        child.stdin.end(input);
      });
    expect((await run(["db", "migrate"], "")).code).toBe(0); // users are added to an existing ledger only
    const added = await run(
      ["users", "add", "jan", "--role", "operator", "--name", "Jan Jansen"],
      "a sufficiently long secret\n",
    );
    expect(added.stderr).toBe("");
    expect(added.code).toBe(0);
    const bad = await run(["users", "add", "piet", "--role", "superuser"], "a sufficiently long secret\n");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /--role must be one of admin, service-manager, department-controller, operator, auditor/,
    );
    const short = await run(["users", "add", "kees", "--role", "auditor"], "short\n");
    expect(short.code).toBe(2);
    const ledger = await openLedger(path);
    try {
      const row = await ledger.db
        .withTables<{ dashboard_users: { username: string; password_hash: string; role: string } }>()
        .selectFrom("dashboard_users")
        .selectAll()
        .execute();
      expect(row.map((r) => [r.username, r.role])).toEqual([["jan", "operator"]]);
      expect(await verifyPassword("a sufficiently long secret", row[0]?.password_hash ?? "")).toBe(true);
    } finally {
      await ledger.close();
    }
  }, 60_000);
  test("login is throttled after the configured failures, even with the right password", async () => {
    // a second server on the same ledger: its own throttle, untouched by the tests above
    const fresh = await startTestDashboard({ path: join(t.dashboard.dir, "ledger.db"), loginAttempts: 3 });
    try {
      for (let i = 0; i < 3; i++) expect((await tryLogin(fresh.url, "operator", "not the password")).status).toBe(401);
      const blocked = await tryLogin(fresh.url, "operator", password);
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
      // the address is blocked for other names too
      expect((await tryLogin(fresh.url, "admin", password)).status).toBe(429);
    } finally {
      await fresh.close();
    }
  });
});
