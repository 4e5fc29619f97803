// A month nobody metered, through the dashboard (issue 6): the API shows its unmetered host-hours next to
// the gaps, the close preview names them and offers to accept them, and a close without accepting is a
// 409 like a close over gaps. The hand-computed ledger meters October only; September had the same hosts.
import { describe, expect, test } from "vitest";
import { login, useTestDashboard } from "./testServer.js";
import { joinedRegExp } from "../../helpers/joinedRegExp.js";

const t = useTestDashboard([]);

describe("closing a month with hours nobody metered", () => {
  test("the preview shows them, the close refuses them with 409 and accepts them when asked", async () => {
    const manager = await login(t.dashboard.url, "manager");
    // bz-app-01, bel-app-01 and orphan-01 existed all September (720 h each); ict-mon-01 came in October.
    const september = (await (await manager.get("/api/v1/chargeback?period=2026-09")).json()) as {
      gapHours: number;
      unmeteredHours: number;
    };
    expect(september).toMatchObject({ gapHours: 0, unmeteredHours: 3 * 720 });
    const october = (await (await manager.get("/api/v1/chargeback?period=2026-10")).json()) as {
      unmeteredHours: number;
    };
    expect(october.unmeteredHours).toBe(0);
    // The current month (the dashboard's clock is 2026-11-15T12:00Z) is expected up to now: 4 hosts × 348 h.
    const november = (await (await manager.get("/api/v1/chargeback?period=2026-11")).json()) as {
      unmeteredHours: number;
    };
    expect(november.unmeteredHours).toBe(4 * (14 * 24 + 12));

    const preview = await (await manager.get("/periods/2026-09/close")).text();
    expect(preview).toContain('id="acceptGaps"');
    expect(preview).toMatch(/0 hostuur zonder meetgegevens, 2\.160 hostuur nooit gemeten/);

    const refused = await manager.post("/api/v1/periods/2026-09/close", { confirm: true });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { message: string }).message).toMatch(
      joinedRegExp([
        /^period 2026-09 has 2160 host-hours never metered \(bel-app-01 720 h of 2026-09-01 to 2026-09-30, /,
        /bz-app-01 720 h/,
      ]),
    );
    const closed = await manager.post("/api/v1/periods/" + "2026-09/close", { confirm: true, acceptGaps: true });
    expect(closed.status).toBe(201);
  });
});
