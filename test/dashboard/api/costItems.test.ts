// Shared-cost items edited by service managers: through POST /api/v1/cost-items and the /rates page's
// form. The chargeback follows the split to the cent, the audit log names the actor, a closed month
// stays as it was, and every bad field is named.
import { describe, expect, test } from "vitest";
import type { AuditEntry } from "../../../dashboard/domain/auditEntry.js";
import { useTestDashboard, type Client } from "./testServer.js";

const t = useTestDashboard(["manager", "auditor", "ctl-bz"]);

interface Charge {
  id: string;
  shared: string;
}
interface ErrorBody {
  error: string;
  message: string;
  fields?: Record<string, string[]>;
}

const cents = (euros: string): number => Math.round(Number(euros) * 100);

async function sharedCents(period: string): Promise<Record<string, number>> {
  const chargeback = (await (await t.manager.get(`/api/v1/chargeback?period=${period}`)).json()) as {
    departments: Charge[];
  };
  return Object.fromEntries(chargeback.departments.map((d) => [d.id, cents(d.shared)]));
}

async function auditEntries(): Promise<AuditEntry[]> {
  return ((await (await t.auditor.get("/api/v1/audit-log?limit=10000")).json()) as { entries: AuditEntry[] }).entries;
}

const costItems = async (): Promise<unknown> => (await t.manager.get("/api/v1/cost-items")).json();
const html = async (client: Client, path: string, cookie = ""): Promise<string> =>
  (
    await client.get(path, {
      headers: { accept: "text/html", ...(cookie ? { cookie: `${client.cookie}; ${cookie}` } : {}) },
    })
  ).text();

// The fixture's one item: hub network, 1000.01 a month by headcount, since 2026-01-01 (hand-month.yaml).
const hubNetwork = {
  id: "hub-network",
  name: "Hub network and firewall",
  monthly: "1000.01",
  driver: "headcount",
  validFrom: "2026-01-01",
};

describe("POST /api/v1/cost-items", () => {
  test(
    "a fixed split from November moves the November shared costs by exactly the split, and is audited with the " +
      "actor",
    async () => {
      const octoberBefore = await sharedCents("2026-10");
      const before = await sharedCents("2026-11");
      const res = await t.manager.post("/api/v1/cost-items", {
        id: "archive-storage",
        name: "Archive storage",
        monthly: "100.01",
        driver: "fixed",
        percentages: { burgerzaken: "60.00", ict: "40" },
        validFrom: "2026-11-01",
      });
      expect(res.status).toBe(201);
      expect(await res.json()).toEqual({ changes: [{ kind: "costItems", id: "archive-storage", action: "create" }] });

      // By hand: active all 30 days of November, so the pool is the full 100.01 = 10001 cents. 60 % of it
      // is 6000.6 and 40 % is 4000.4 cents; the floors 6000 + 4000 leave 1 cent, which goes to the
      // largest remainder (burgerzaken's .6). Belastingen is not in the split.
      const after = await sharedCents("2026-11");
      expect({
        burgerzaken: (after.burgerzaken ?? 0) - (before.burgerzaken ?? 0),
        belastingen: (after.belastingen ?? 0) - (before.belastingen ?? 0),
        ict: (after.ict ?? 0) - (before.ict ?? 0),
      }).toEqual({ burgerzaken: 6001, belastingen: 0, ict: 4000 });
      // October is before the item's start: unchanged
      expect(await sharedCents("2026-10")).toEqual(octoberBefore);

      const listed = (await costItems()) as {
        costItems: { id: string; monthly: string; driver: string; percentages: Record<string, number> | null }[];
      };
      expect(listed.costItems).toContainEqual(
        expect.objectContaining({
          id: "archive-storage",
          monthly: "100.01",
          driver: "fixed",
          percentages: { burgerzaken: 6000, ict: 4000 },
        }),
      );

      const entry = (await auditEntries()).find((e) => e.entity === "costItems" && e.entityId === "archive-storage");
      expect(entry).toMatchObject({
        actor: "manager",
        action: "create",
        before: null,
        after: {
          id: "archive-storage",
          monthlyCents: "10001",
          driver: "fixed",
          percentages: { burgerzaken: 6000, ict: 4000 },
        },
      });
    },
  );

  test("saving an item again changes it; saving it unchanged changes (and audits) nothing", async () => {
    const body = {
      id: "service-desk",
      name: "Service desk",
      monthly: "250.00",
      driver: "even",
      validFrom: "2026-11-01",
    };
    expect((await t.manager.post("/api/v1/cost-items", body)).status).toBe(201);
    const changed = await t.manager.post("/api/v1/cost-items", { ...body, monthly: "300.00" });
    expect(await changed.json()).toEqual({ changes: [{ kind: "costItems", id: "service-desk", action: "update" }] });
    const count = (await auditEntries()).length;
    const same = await t.manager.post("/api/v1/cost-items", { ...body, monthly: "300.00" });
    expect(same.status).toBe(201);
    expect(await same.json()).toEqual({ changes: [] });
    expect((await auditEntries()).length).toBe(count);
  });

  test(
    "after October is closed: a change that would alter October is refused with 409 and changes nothing; " +
      "ending an item in November is allowed",
    async () => {
      // a fixed split active in October, to end later with its percentages given in another order
      expect(
        (
          await t.manager.post("/api/v1/cost-items", {
            id: "oct-split",
            name: "October split",
            monthly: "10.00",
            driver: "fixed",
            percentages: { burgerzaken: "50", ict: "50" },
            validFrom: "2026-10-01",
          })
        ).status,
      ).toBe(201);
      expect((await t.manager.post("/api/v1/periods/2026-10/close", { confirm: true })).status).toBe(201);
      const items = await costItems();
      const lastAudit = (await auditEntries())[0]?.id;

      const refused = await t.manager.post("/api/v1/cost-items", { ...hubNetwork, monthly: "2000.00" });
      expect(refused.status).toBe(409);
      const error = (await refused.json()) as ErrorBody;
      expect(error.error).toBe("conflict");
      expect(error.message).toMatch(/period 2026-10 is closed: changing costItems hub-network is refused/);
      // starting an item inside the closed month is a change of October as well
      expect(
        (
          await t.manager.post("/api/v1/cost-items", {
            id: "late-entry",
            name: "Late entry",
            monthly: "5.00",
            driver: "even",
            validFrom: "2026-10-15",
          })
        ).status,
      ).toBe(409);
      expect(await costItems()).toEqual(items);
      expect((await auditEntries())[0]?.id).toBe(lastAudit);

      const ended = await t.manager.post("/api/v1/cost-items", { ...hubNetwork, validTo: "2026-11-30" });
      expect(ended.status).toBe(201);
      expect(await ended.json()).toEqual({ changes: [{ kind: "costItems", id: "hub-network", action: "update" }] });
      const endedSplit = await t.manager.post("/api/v1/cost-items", {
        id: "oct-split",
        name: "October split",
        monthly: "10.00",
        driver: "fixed",
        percentages: { ict: "50.00", burgerzaken: "50" },
        validFrom: "2026-10-01",
        validTo: "2026-11-30",
      });
      expect(endedSplit.status).toBe(201);
      // ending before the closed month's end is not
      expect((await t.manager.post("/api/v1/cost-items", { ...hubNetwork, validTo: "2026-10-20" })).status).toBe(409);
    },
  );

  const valid = {
    id: "bad-input",
    name: "Bad input",
    monthly: "10.00",
    driver: "fixed",
    percentages: { burgerzaken: "60", ict: "40" },
    validFrom: "2026-11-01",
  };
  test.each([
    [
      "percentages not summing to 100 %",
      { percentages: { burgerzaken: "59.50", ict: "40" } },
      "body.percentages",
      /sum to 100 %, not 99\.50 %/,
    ],
    [
      "percentages over 100 %",
      { percentages: { burgerzaken: "100", ict: "0.01" } },
      "body.percentages",
      /not 100\.01 %/,
    ],
    [
      "an unknown department",
      { percentages: { burgerzaken: "60", nowhere: "40" } },
      "body.percentages.nowhere",
      /no department "nowhere"/,
    ],
    [
      "an ill-formed percentage",
      { percentages: { burgerzaken: "60.123", ict: "39.877" } },
      "body.percentages.burgerzaken",
      /at most 2 decimals/,
    ],
    ["percentages with the driver even", { driver: "even" }, "body.percentages", /only for the driver "fixed"/],
    ["no percentages with the driver fixed", { percentages: undefined }, "body.percentages", /required/],
    ["a negative amount", { monthly: "-10.00" }, "body.monthly", /not be negative/],
    ["an ill-formed amount", { monthly: "10,5" }, "body.monthly", /amount in euros/],
    ["a float amount", { monthly: 10.5 }, "body.monthly", /./],
    ["validTo before validFrom", { validTo: "2026-10-31" }, "body.validTo", /before validFrom/],
    ["an unknown driver", { driver: "by-vibes" }, "body.driver", /./],
    ["an empty name", { name: "  " }, "body.name", /required/],
    ["an id with capitals", { id: "Bad Id" }, "body.id", /lowercase/],
    ["a day that is no date", { validFrom: "2026-02-30" }, "body.validFrom", /calendar date/],
  ])("%s → 400 naming %s", async (_what, change, field, message) => {
    const lastAudit = (await auditEntries())[0]?.id;
    const res = await t.manager.post("/api/v1/cost-items", { ...valid, ...change });
    expect(res.status).toBe(400);
    const error = (await res.json()) as ErrorBody;
    expect(error.error).toBe("invalid-input");
    expect(error.fields?.[field]?.join(" ")).toMatch(message);
    expect((await auditEntries())[0]?.id).toBe(lastAudit);
  });

  test("without the CSRF token the API and the form are refused (403) and nothing changes", async () => {
    const items = await costItems();
    const res = await t.manager.post("/api/v1/cost-items", { ...valid, id: "csrf-probe" }, { csrf: null });
    expect(res.status).toBe(403);
    expect(((await res.json()) as ErrorBody).error).toBe("csrf");
    const form = await t.manager.post(
      "/cost-items",
      { id: "csrf-probe", name: "probe", monthly: "1", driver: "even", validFrom: "2026-11-01" },
      { form: true, csrf: null },
    );
    expect(form.status).toBe(403);
    expect(await costItems()).toEqual(items);
  });
});

describe("the shared-cost form on /rates", () => {
  test("a manager saves a fixed split in Dutch notation; the item is listed and audited", async () => {
    const res = await t.manager.post(
      "/cost-items",
      {
        id: "form-item",
        name: "Formulierpost",
        monthly: "12,50",
        driver: "fixed",
        percentages: "burgerzaken=33,5, ict=66,5",
        validFrom: "2026-11-01",
        validTo: "",
      },
      { form: true },
    );
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/rates?done=saved");
    const page = await html(t.manager, "/rates?done=saved");
    expect(page).toContain("Opgeslagen.");
    expect(page).toContain("Formulierpost");
    const listed = (await costItems()) as {
      costItems: { id: string; monthly: string; percentages: unknown; validTo: unknown }[];
    };
    expect(listed.costItems).toContainEqual(
      expect.objectContaining({
        id: "form-item",
        monthly: "12.50",
        percentages: { burgerzaken: 3350, ict: 6650 },
        validTo: null,
      }),
    );
  });

  test("the split field counts only for fixed: left over after choosing another driver, it is ignored", async () => {
    const res = await t.manager.post(
      "/cost-items",
      {
        id: "form-even",
        name: "Even form",
        monthly: "20.00",
        driver: "even",
        percentages: "burgerzaken=100",
        validFrom: "2026-11-01",
      },
      { form: true },
    );
    expect(res.status).toBe(303);
    const listed = (await costItems()) as { costItems: { id: string; driver: string; percentages: unknown }[] };
    expect(listed.costItems).toContainEqual(
      expect.objectContaining({ id: "form-even", driver: "even", percentages: null }),
    );
  });

  test("a bad form is answered with the error page naming the field, and saves nothing", async () => {
    const items = await costItems();
    const res = await t.manager.post(
      "/cost-items",
      {
        id: "form-bad",
        name: "Bad",
        monthly: "10",
        driver: "fixed",
        percentages: "burgerzaken=60; ict=30",
        validFrom: "2026-11-01",
      },
      { form: true },
    );
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain("body.percentages");
    expect(page).toContain("90.00 %");
    expect(await costItems()).toEqual(items);
  });

  test("?edit=<id> pre-fills the form with the item's values; each row links to it", async () => {
    const page = await html(t.manager, "/rates?edit=form-item");
    expect(page).toContain('href="/rates?edit=hub-network#cost-item"');
    expect(page).toMatch(/<input id="ci-id" name="id"[^>]* value="form-item">/);
    expect(page).toMatch(/<input id="ci-name" name="name"[^>]* value="Formulierpost">/);
    expect(page).toMatch(/<input id="ci-monthly" name="monthly"[^>]* value="12.50">/);
    expect(page).toContain('<option value="fixed" selected>');
    expect(page).toMatch(/<input id="ci-percentages" name="percentages"[^>]* value="burgerzaken=33.5, ict=66.5">/);
    expect(page).toMatch(/<input id="ci-from" name="validFrom"[^>]* value="2026-11-01">/);
    // an unknown id is an empty form, not an error
    const empty = await html(t.manager, "/rates?edit=no-such-item");
    expect(empty).toMatch(/<input id="ci-id" name="id"[^>]* value="">/);
  });

  test("every field has a label, in Dutch by default and in English with the language cookie", async () => {
    const dutch = await html(t.manager, "/rates");
    for (const text of [
      "Gedeelde kostenpost</h2>",
      ">Kenmerk kostenpost</label>",
      ">Naam</label>",
      ">Bedrag per maand (EUR)</label>",
      ">Verdeelsleutel</label>",
      ">Percentages per afdeling</label>",
      ">Geldig vanaf</label>",
      ">Geldig tot</label>",
      ">Opslaan</button>",
    ])
      expect(dutch).toContain(text);
    for (const id of ["ci-id", "ci-name", "ci-monthly", "ci-driver", "ci-percentages", "ci-from", "ci-to"])
      expect(dutch).toContain(`<label for="${id}">`);
    const english = await html(t.manager, "/rates", "muniops_lang=en");
    for (const text of [
      "Shared-cost item</h2>",
      ">Item id</label>",
      ">Name</label>",
      ">Amount per month (EUR)</label>",
      ">Driver</label>",
      ">Percentages per department</label>",
      ">Valid from</label>",
      ">Valid to</label>",
      ">Save</button>",
      ">fixed percentages</option>",
    ])
      expect(english).toContain(text);
  });

  test("auditors and controllers see the items without the form or the edit links", async () => {
    for (const client of [t.auditor, t["ctl-bz"]]) {
      const page = await html(client, "/rates?edit=hub-network");
      expect(page).toContain("Hub network and firewall");
      expect(page).not.toContain('action="/cost-items"');
      expect(page).not.toContain("?edit=");
    }
  });
});
