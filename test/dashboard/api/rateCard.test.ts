// Issue 15, item 2: a rate card is complete or refused — at the form, the API and `ledger import`, through
// one rule — and a ledger that holds an incomplete card anyway (written straight into SQLite) costs only
// the usage it cannot price: that usage is an error of its pool, and the rest of the dashboard answers.
import Database from "better-sqlite3";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { openLedger } from "../../../dashboard/data-access/database.js";
import { loadMasterData } from "../../../dashboard/data-access/masterData.js";
import { type ChargebackJson } from "../../../dashboard/domain/chargeback.js";
import { chargeback } from "../../../dashboard/app/chargeback.js";
import { importMasterData } from "../../../dashboard/app/ledgerImport.js";
import { rateCardProblems } from "../../../dashboard/domain/rateCard.js";
import { runCli } from "../../helpers/cli.js";
import { login, seededLedgerFile, startTestDashboard, type Client, type TestDashboard } from "./testServer.js";
import { started } from "../../helpers/started.js";

const complete = {
  "compute.vcpuHour": "0.02",
  "compute.memoryGibHour": "0.005",
  "storage.serverGbMonth": "0.12",
  "storage.shareGbMonth": "0.05",
};
const cents = (euros: string): bigint => BigInt(euros.replace(".", ""));

interface Fields {
  fields: Record<string, string[]>;
}

describe("one rule: every meter priced, no unknown meter", () => {
  test("rateCardProblems names each missing and each unknown key", () => {
    expect(rateCardProblems(complete)).toEqual([]);
    const { "storage.shareGbMonth": _share, ...partial } = complete;
    expect(rateCardProblems({ ...partial, "compute.gpuHour": "1" }).map((p) => p.key)).toEqual([
      "compute.gpuHour",
      "storage.shareGbMonth",
    ]);
    expect(rateCardProblems({ ...complete, "compute.vcpuHour": " " }).map((p) => p.key)).toEqual(["compute.vcpuHour"]);
  });
});

describe("refused at the API, the form and ledger import", () => {
  let dashboard: TestDashboard;
  let manager: Client;
  beforeAll(async () => {
    dashboard = await startTestDashboard();
    manager = await login(dashboard.url, "manager");
  }, 120_000);
  afterAll(async () => {
    await started(dashboard)?.close();
  });
  const versions = async (): Promise<string[]> =>
    ((await (await manager.get("/api/v1/rates")).json()) as { versions: { validFrom: string }[] }).versions.map(
      (v) => v.validFrom,
    );

  test("POST /api/v1/rates: some meters priced → 400 naming each missing one; an unknown meter named", async () => {
    const before = await versions();
    const partial = await manager.post("/api/v1/rates", {
      validFrom: "2026-12-01",
      prices: { "compute.vcpuHour": "0.03" },
    });
    expect(partial.status).toBe(400);
    const missing = ((await partial.json()) as Fields).fields;
    expect(Object.keys(missing).sort()).toEqual([
      "body.prices.compute.memoryGibHour",
      "body.prices.storage.serverGbMonth",
      "body.prices.storage.shareGbMonth",
    ]);
    expect(missing["body.prices.storage.shareGbMonth"]?.[0]).toMatch(/a price is required/);
    const unknown = await manager.post("/api/v1/rates", {
      validFrom: "2026-12-01",
      prices: { ...complete, "compute.gpuHour": "1.00" },
    });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as Fields).fields["body.prices.compute.gpuHour"]?.[0]).toMatch(
      /no meter "compute\.gpuHour": a rate card prices compute\.vcpuHour/,
    );
    expect(await versions()).toEqual(before);
  });

  test("the rates form: a blank price is refused on the form itself, with what was typed kept", async () => {
    const before = await versions();
    const res = await manager.post(
      "/rates",
      {
        validFrom: "2026-12-01",
        "price.compute.vcpuHour": "0,03",
        "price.compute.memoryGibHour": "0.005",
        "price.storage.serverGbMonth": "0.12",
        "price.storage.shareGbMonth": "",
        note: "typed note",
      },
      { form: true },
    );
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain('<form class="stack" method="post" action="/rates"');
    expect(page).toMatch(/name="price\.storage\.shareGbMonth"[^>]*aria-invalid="true"/);
    expect(page).toMatch(/a price is required/);
    expect(page).toContain('value="typed note"');
    expect(page).toContain('value="0,03"');
    expect(page).toContain("Niet opgeslagen");
    expect(await versions()).toEqual(before);
  });

  test("the form offers every meter, pre-filled, so an untouched form prices them all", async () => {
    const page = await (await manager.get("/rates", { headers: { accept: "text/html" } })).text();
    for (const key of Object.keys(complete))
      expect(page).toMatch(new RegExp(`name="price\\.${key.replace(".", "\\.")}"[^>]*value="\\d`));
  });

  test("ledger import (YAML and CSV): the missing and unknown meters are named with file, line and key", async () => {
    const seeded = await seededLedgerFile();
    const ledger = await openLedger(seeded.path);
    try {
      const before = await loadMasterData(ledger.db);
      const yaml =
        'rateCards:\n  - validFrom: 2026-12-01\n    prices: { compute.vcpuHour: "0.03", compute.gpuHour: "1" }\n';
      const error = (await importMasterData(ledger, yaml, { format: "yaml", source: "r.yaml", actor: "t" }).catch(
        (e: unknown) => e,
      )) as Error;
      expect(error.message).toMatch(/^r\.yaml: \d+ bad rows?, nothing imported/);
      expect(error.message).toContain('r.yaml:2: rateCards[0].prices.compute.gpuHour: no meter "compute.gpuHour"');
      for (const key of ["compute.memoryGibHour", "storage.serverGbMonth", "storage.shareGbMonth"])
        expect(error.message).toContain(`r.yaml:2: rateCards[0].prices.${key}: a price is required`);
      const csv =
        "validFrom,note,meter,price\n2026-12-01,,compute.vcpuHour,0.03\n2026-12-01,,compute.memoryGibHour,0.005\n";
      const csvError = (await importMasterData(ledger, csv, {
        format: "csv",
        kind: "rateVersions",
        source: "rates.csv",
        actor: "t",
      }).catch((e: unknown) => e)) as Error;
      expect(csvError.message).toContain("rates.csv:2: line 2.prices.storage.shareGbMonth: a price is required");
      expect(await loadMasterData(ledger.db)).toEqual(before);
    } finally {
      await ledger.close();
    }
  }, 60_000);

  test("muniops ledger import exits 2 naming the file, line and key", { timeout: 120_000 }, async () => {
    const seeded = await seededLedgerFile();
    const file = join(seeded.dir, "rates.yaml");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(file, 'rateCards:\n  - validFrom: 2026-12-01\n    prices: { compute.vcpuHour: "0.03" }\n');
    const result = await runCli(["ledger", "import", file], {
      env: { MUNIOPS_DATABASE_URL: seeded.path, MUNIOPS_LEDGER_ACTOR: "t" },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${file}:2: rateCards[0].prices.storage.shareGbMonth: a price is required`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  test("a version not in effect yet is corrected under its own date; one in effect is not", async () => {
    expect((await manager.post("/api/v1/rates", { validFrom: "2027-01-01", prices: complete })).status).toBe(201);
    const corrected = await manager.post(
      "/rates",
      {
        validFrom: "2027-01-01",
        ...Object.fromEntries(
          Object.entries({ ...complete, "compute.vcpuHour": "0.04" }).map(([k, v]) => [`price.${k}`, v]),
        ),
      },
      { form: true },
    );
    expect(corrected.status).toBe(303);
    const rates = (await (await manager.get("/api/v1/rates")).json()) as {
      versions: { validFrom: string; prices: Record<string, string> }[];
    };
    expect(rates.versions.find((v) => v.validFrom === "2027-01-01")?.prices["compute.vcpuHour"]).toBe("0.04");
    const page = await (await manager.get("/rates?rate=2027-01-01", { headers: { accept: "text/html" } })).text();
    expect(page).toContain("Tariefversie corrigeren 2027-01-01");
    expect(page).toContain('href="/rates?rate=2027-01-01#new-rate"');
    const inEffect = await manager.post("/api/v1/rates", { validFrom: "2026-01-01", prices: complete });
    expect(inEffect.status).toBe(400);
    expect(((await inEffect.json()) as Fields).fields["body.validFrom"]?.[0]).toMatch(
      /is in effect: a change is a new version with a new date/,
    );
  });
});

describe("an incomplete card written straight into the ledger", () => {
  let dashboard: TestDashboard;
  let manager: Client;
  let controller: Client;
  let intact: ChargebackJson;
  let ledgerPath = "";
  beforeAll(async () => {
    const seeded = await seededLedgerFile();
    ledgerPath = seeded.path;
    const ledger = await openLedger(seeded.path);
    intact = await chargeback(ledger, "2026-10", undefined, Date.parse("2026-11-15T12:00:00Z"));
    await ledger.close();
    // what no dashboard path allows any more: the mid-October version loses its file-share price
    const db = new Database(seeded.path);
    db.prepare("delete from rate_prices where valid_from = '2026-10-16' and meter = 'storage.shareGbMonth'").run();
    db.close();
    dashboard = await startTestDashboard({ path: seeded.path });
    manager = await login(dashboard.url, "manager");
    controller = await login(dashboard.url, "ctl-bz");
  }, 120_000);
  afterAll(async () => {
    await started(dashboard)?.close();
  });

  test("the overview answers 200 and names the problem, as JSON and as the page", async () => {
    const res = await manager.get("/api/v1/overview");
    expect(res.status).toBe(200);
    const overview = (await res.json()) as {
      errors: { period: string; pool: string; owner: string; rate: string; message: string }[];
    };
    expect(overview.errors.map((e) => [e.period, e.pool, e.owner, e.rate])).toEqual([
      ["2026-10", "storage", "belastingen", "storage.shareGbMonth"],
      ["2026-10", "storage", "burgerzaken", "storage.shareGbMonth"],
    ]);
    expect(overview.errors[0]?.message).toMatch(
      /the rate card of 2026-10-16 has no price for storage\.shareGbMonth: .* not charged/,
    );
    const page = await manager.get("/", { headers: { accept: "text/html" } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('data-testid="unpriced"');
    expect(html).toContain("storage.shareGbMonth");
  });

  test("the chargeback reports the unpriced lines as errors of the storage pool; other pools untouched", async () => {
    const res = await manager.get("/api/v1/chargeback?period=2026-10");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as ChargebackJson;
    expect(doc.errors?.map((e) => [e.pool, e.owner, e.item, e.rateVersion, e.from, e.to])).toEqual([
      ["storage", "belastingen", "share_used_bytes", "2026-10-16", "2026-10-16", "2026-10-31"],
      ["storage", "burgerzaken", "share_used_bytes", "2026-10-16", "2026-10-16", "2026-10-31"],
    ]);
    for (const d of doc.departments) {
      const before = intact.departments.find((x) => x.id === d.id);
      expect(d.compute, d.id).toBe(before?.compute);
      expect(d.licences, d.id).toBe(before?.licences);
    }
    // the unpriced half-month of file-share usage is missing from storage, not guessed
    expect(cents(doc.breakdown.pools.storage)).toBeLessThan(cents(intact.breakdown.pools.storage));
    const parts =
      doc.departments.reduce((sum, d) => sum + cents(d.total), 0n) + cents(doc.unallocated) + cents(doc.unrecovered);
    expect(parts).toBe(cents(doc.breakdown.pools.total));
  });

  test("statements of unaffected departments answer; an affected one and the close say why they refuse", async () => {
    expect((await manager.get("/api/v1/departments/ict/statement?period=2026-10&format=csv")).status).toBe(200);
    expect((await manager.get("/api/v1/departments/ict?period=2026-10")).status).toBe(200);
    const affected = await manager.get("/api/v1/departments/burgerzaken/statement?period=2026-10");
    expect(affected.status).toBe(409);
    expect(((await affected.json()) as { message: string }).message).toMatch(
      /statement of "burgerzaken" for 2026-10 is incomplete: .*storage\.shareGbMonth/,
    );
    const close = await manager.post("/api/v1/periods/2026-10/close", { confirm: true, acceptGaps: true });
    expect(close.status).toBe(409);
    expect(((await close.json()) as { message: string }).message).toMatch(
      /period 2026-10 has unpriced usage: .*storage\.shareGbMonth/,
    );
    const detail = await manager.get("/departments/burgerzaken?period=2026-10", { headers: { accept: "text/html" } });
    expect(detail.status).toBe(200);
    expect(await detail.text()).toContain('data-testid="unpriced"');
  });

  test("muniops chargeback prints the month and exits 1 naming the unpriced usage", { timeout: 120_000 }, async () => {
    const result = await runCli(["chargeback", "--period", "2026-10", "--format", "table"], {
      env: { MUNIOPS_DATABASE_URL: ledgerPath },
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^2026-10 \(open\), EUR/);
    expect(result.stderr).toMatch(
      /2026-10 is incomplete: the rate card of 2026-10-16 has no price for storage\.shareGbMonth/,
    );
  });

  test("a controller sees only their own department's unpriced usage", async () => {
    const doc = (await (await controller.get("/api/v1/chargeback?period=2026-10")).json()) as ChargebackJson;
    expect(doc.errors?.map((e) => e.owner)).toEqual(["burgerzaken"]);
    const overview = await (await controller.get("/api/v1/overview")).text();
    expect(overview).not.toMatch(/belastingen/);
  });

  test("the rates page marks the version incomplete; a manager repairs it there and the month is whole", async () => {
    const page = await (await manager.get("/rates", { headers: { accept: "text/html" } })).text();
    expect(page).toContain("onvolledig");
    expect(page).toContain('href="/rates?rate=2026-10-16#new-rate"');
    const form = await (await manager.get("/rates?rate=2026-10-16", { headers: { accept: "text/html" } })).text();
    expect(form).toMatch(/name="validFrom" type="date" required\s+value="2026-10-16"/);
    const repaired = await manager.post(
      "/rates",
      {
        validFrom: "2026-10-16",
        "price.compute.vcpuHour": "0.02",
        "price.compute.memoryGibHour": "0.005",
        "price.storage.serverGbMonth": "0.12",
        "price.storage.shareGbMonth": "0.05",
      },
      { form: true },
    );
    expect(repaired.status).toBe(303);
    const doc = (await (await manager.get("/api/v1/chargeback?period=2026-10")).json()) as ChargebackJson;
    expect(doc.errors).toBeUndefined();
    expect(doc.total).toBe(intact.total);
    expect(doc.departments).toEqual(intact.departments);
  });
});
