// Licence decisions through the real server and the CLI: a service manager prices N more seats for any
// department and sees central ICT's side (free seats used, seats to buy, unrecovered, purchases); a
// department controller prices only their own department's change and sees only their own charge;
// operators and auditors may not. The hand month: 100 seats of M365 E3 at € 20.00, 90 assigned.
import { describe, expect, test } from "vitest";
import type { LicenceWhatIfJson } from "../../../dashboard/app/licenceWhatIf.js";
import { runCli } from "../../helpers/cli.js";
import { useTestDashboard } from "./testServer.js";

const t = useTestDashboard(["manager", "ctl-bz", "operator", "auditor"]);
const path = "/api/v1/licences/what-if?department=burgerzaken&product=m365-e3&seats=%2B15&months=3";

describe("licence what-if", () => {
  test("a service manager sees the department's charge and central ICT's side, from next month", async () => {
    const res = await t.manager.get(path);
    expect(res.status).toBe(200);
    const body = (await res.json()) as LicenceWhatIfJson;
    expect(body).toMatchObject({ from: "2026-12", to: "2027-02", seatsHeld: 50, freeSeatsUsed: 10, seatsToBuy: 5 });
    expect(body.newSeatPrice).toBe("20.00");
    expect(body.months.map((m) => m.charged.delta)).toEqual(["300.00", "300.00", "300.00"]);
    expect(body.total).toMatchObject({
      charged: { delta: "900.00" },
      unrecovered: { delta: "-600.00" },
      purchased: { delta: "300.00" },
    });
  });

  test("a department controller prices their own department only, and sees only their own charge", async () => {
    const own = (await (await t["ctl-bz"].get(path)).json()) as LicenceWhatIfJson;
    expect(own.total.charged.delta).toBe("900.00");
    expect(own.freeSeatsUsed).toBeUndefined();
    expect(own.seatsToBuy).toBeUndefined();
    expect(own.total.unrecovered).toBeUndefined();
    expect(own.months[0]?.purchased).toBeUndefined();
    const other = await t["ctl-bz"].get(path.replace("burgerzaken", "belastingen"));
    expect(other.status).toBe(403);
  });

  test("operators and auditors may not; bad input is a 400 naming the field", async () => {
    expect((await t.operator.get(path)).status).toBe(403);
    expect((await t.auditor.get(path)).status).toBe(403);
    const bad = await t.manager.get(path.replace("%2B15", "lots"));
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("query.seats");
    const tooMany = await t.manager.get(path.replace("%2B15", "-60"));
    expect(tooMany.status).toBe(400);
    expect(await tooMany.text()).toContain("burgerzaken holds 50 seats of m365-e3");
  });

  test("muniops licences what-if prints the same document", { timeout: 60_000 }, async () => {
    const env = { MUNIOPS_DATABASE_URL: t.dashboard.ledger.location };
    const args = ["licences", "what-if", "--department", "burgerzaken", "--product", "m365-e3", "--seats", "+15"];
    const run = await runCli([...args, "--months", "3", "--from", "2026-12"], { env });
    expect(run.code, run.stderr).toBe(0);
    const body = JSON.parse(run.stdout) as LicenceWhatIfJson;
    expect(body.total.charged.delta).toBe("900.00");
    expect(body.seatsToBuy).toBe(5);
    const bad = await runCli([...args.slice(0, -1), "0"], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/seats must be a whole number/);
  });

  test("the licences page links to the what-if page, which prices the change for each role", async () => {
    const page = async (client: (typeof t)["manager"], url: string): Promise<string> =>
      (await client.get(url, { headers: { accept: "text/html" } })).text();
    expect(await page(t.manager, "/licences")).toContain('href="/licences/what-if"');
    expect(await page(t.auditor, "/licences")).not.toContain('href="/licences/what-if"');
    const form = await page(t["ctl-bz"], "/licences/what-if");
    expect(form).toContain('<option value="burgerzaken"');
    expect(form).not.toContain('<option value="belastingen"');
    const query = "?department=burgerzaken&product=m365-e3&seats=%2B15&months=3";
    const managerView = await page(t.manager, `/licences/what-if${query}`);
    expect(managerView).toContain("+15 licenties Microsoft 365 E3 voor burgerzaken, 2026-12 t/m 2027-02");
    expect(managerView).toContain("10 uit vrije licenties, 5 bij te kopen");
    expect(managerView).toContain("Inkoop (ICT)");
    const own = await page(t["ctl-bz"], `/licences/what-if${query}`);
    expect(own).toContain("Doorbelast aan de afdeling");
    expect(own).not.toContain("Inkoop (ICT)");
    expect(own).not.toContain("vrije licenties");
    expect((await t.operator.get(`/licences/what-if${query}`, { headers: { accept: "text/html" } })).status).toBe(403);
  });
});
