// One rule, one answer: the budget projection and state, and the licence position, as the CLI prints
// them (`muniops forecast`, `muniops licences`), as the API answers (`/api/v1/overview`,
// `/api/v1/licences`) and as the pages show them, for the hand-computed October 2026 seen on the 15th.
// Budgets are set through `muniops ledger import` so one department is exactly at its budget (within
// it: warned, not over), one a cent over, one without; one licence product is over-assigned.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatMoney } from "../../dashboard/web/i18n.js";
import { runCli } from "../helpers/cli.js";
import { testHost, testInventory } from "./helpers/inventory.js";
import { login, seededLedgerFile, startTestDashboard, type Client, type TestDashboard } from "./api/testServer.js";

const asOf = "2026-10-15";
const period = "2026-10";
const now = Date.parse(`${asOf}T12:00:00Z`);

interface CliBudget {
  daysElapsed: number;
  departments: {
    department: string;
    projected: string;
    budget: string | null;
    alert: string;
    budgetUsedPercent: number | null;
  }[];
}
interface ApiBudget {
  budget: { department: string; name: string; projected: string; monthlyBudget: string | null; state: string }[];
}
interface CliLicence {
  product: string;
  purchased: number;
  assigned: number;
  free: number;
  overAssigned: number;
}
interface ApiLicence {
  products: { productId: string; purchased: number; assigned: number; free: number; overAssigned: number }[];
}

let dir: string;
let ledgerPath: string;
let inventoryFile: string;
let dashboard: TestDashboard | undefined;
let manager: Client;

async function cli(args: string[]): Promise<string> {
  const result = await runCli([...args, "--database-url", ledgerPath]);
  if (result.code !== 0) throw new Error(`muniops ${args.join(" ")} exited ${result.code}: ${result.stderr}`);
  return result.stdout;
}

async function cliBudget(): Promise<CliBudget> {
  return JSON.parse(
    await cli(["forecast", "--period", period, "--as-of", asOf, "--inventory", inventoryFile]),
  ) as CliBudget;
}

const cents = (euros: string): bigint => BigInt(euros.replace(".", ""));
const euros = (c: bigint): string => `${c / 100n}.${(c % 100n).toString().padStart(2, "0")}`;

beforeAll(async () => {
  const seeded = await seededLedgerFile();
  dir = seeded.dir;
  ledgerPath = seeded.path;
  inventoryFile = join(dir, "inventory.json");
  const hosts = [
    testHost("bz-app-01", "burgerzaken", { vcpus: 4, memoryGiB: 16 }),
    testHost("bel-app-01", "belastingen", { vcpus: 2, memoryGiB: 8 }),
  ];
  writeFileSync(inventoryFile, JSON.stringify(testInventory("agreement", hosts)));

  // The projections as they stand, then budgets at exactly burgerzaken's projection and a cent under
  // belastingen's, and none for ict (annual = 12 × monthly, so the month's budget is exact).
  const before = await cliBudget();
  const projected = (id: string): bigint =>
    cents(before.departments.find((d) => d.department === id)?.projected ?? "0.00");
  const departmentsCsv = [
    "id,name,costCenter,headcount,annualBudget",
    `burgerzaken,Burgerzaken,KP-4100,50,${euros(projected("burgerzaken") * 12n)}`,
    `belastingen,Belastingen,KP-4200,30,${euros((projected("belastingen") - 1n) * 12n)}`,
    "ict,Centrale ICT,KP-9000,20,",
  ].join("\n");
  writeFileSync(join(dir, "departments.csv"), departmentsCsv + "\n");
  await cli(["ledger", "import", join(dir, "departments.csv"), "--kind", "departments"]);
  // 30 seats more: 80 + 30 of the contract's 100 on the 15th, and 120 once ict's own 10 start on the 16th.
  writeFileSync(
    join(dir, "licenceAssignments.csv"),
    "id,product,department,seats,from\na-ict-extra,m365-e3,ict,30,2026-10-01\n",
  );
  await cli(["ledger", "import", join(dir, "licenceAssignments.csv"), "--kind", "licenceAssignments"]);

  dashboard = await startTestDashboard({ path: ledgerPath, inventoryFile, now });
  manager = await login(dashboard.url, "manager");
}, 180_000);

afterAll(async () => {
  await dashboard?.close();
});

describe("the budget rule: CLI, API and page agree", () => {
  it("projection, monthly budget and state are the same everywhere, and the boundary is as the rule says", async () => {
    const fromCli = await cliBudget();
    expect(fromCli.daysElapsed).toBe(15);
    const fromApi = (await (await manager.get("/api/v1/overview")).json()) as ApiBudget;
    const page = await (await manager.get("/", { headers: { accept: "text/html" } })).text();

    const byId = (id: string) => {
      const c = fromCli.departments.find((d) => d.department === id);
      const a = fromApi.budget.find((d) => d.department === id);
      if (!c || !a) throw new Error(`no budget line for ${id}`);
      return { c, a };
    };
    for (const id of ["burgerzaken", "belastingen", "ict"]) {
      const { c, a } = byId(id);
      expect({ projected: a.projected, budget: a.monthlyBudget, state: a.state }, id).toEqual({
        projected: c.projected,
        budget: c.budget,
        state: c.alert,
      });
      // The page's row for the department shows the same projection and state.
      const row = new RegExp(`<tr><th scope="row">${a.name}</th>(.*?)</tr>`).exec(page)?.[1] ?? "";
      expect(row, id).toContain(`state-${c.alert}`);
      expect(row, id).toContain(formatMoney("nl", c.projected));
    }
    expect(byId("burgerzaken").c).toMatchObject({ alert: "warning", budgetUsedPercent: 100 });
    expect(byId("belastingen").c.alert).toBe("over");
    expect(byId("ict").c).toMatchObject({ alert: "no-budget", budget: null });
  });

  it(
    "only usage is scaled to the month's end: licences and " + "shared costs are charged in full from the first day",
    async () => {
      const chargeback = (await (await manager.get(`/api/v1/chargeback?period=${period}`)).json()) as {
        departments: { id: string; total: string; compute: string; storage: string }[];
      };
      const bz = chargeback.departments.find((d) => d.id === "burgerzaken")!;
      const usage = cents(bz.compute) + cents(bz.storage);
      const fixed = cents(bz.total) - usage;
      // 31 days, 15 elapsed, rounded half away from zero once.
      const expected = fixed + (usage * 31n * 2n + 15n) / 30n;
      const fromCli = await cliBudget();
      expect(fromCli.departments.find((d) => d.department === "burgerzaken")?.projected).toBe(euros(expected));
    },
  );
});

describe("the licence position: CLI, API and page agree", () => {
  it("purchased, assigned, free (never negative) and over-assigned", async () => {
    // The CLI gives the position at the month's end; the API the day asked for; the page today's (the 15th).
    const fromCli = JSON.parse(await cli(["licences", "--period", period])) as CliLicence[];
    const apiOn = async (day: string) =>
      ((await (await manager.get(`/api/v1/licences?day=${day}`)).json()) as ApiLicence).products.find(
        (p) => p.productId === "m365-e3",
      );
    const monthEnd = { purchased: 100, assigned: 120, free: 0, overAssigned: 20 };
    expect(fromCli.find((p) => p.product === "m365-e3")).toMatchObject(monthEnd);
    expect(await apiOn("2026-10-31")).toMatchObject(monthEnd);
    expect(await apiOn(asOf)).toMatchObject({ purchased: 100, assigned: 110, free: 0, overAssigned: 10 });
    const page = await (await manager.get("/licences", { headers: { accept: "text/html" } })).text();
    const row = /<th scope="row">Microsoft 365 E3 .*?<\/tr>/.exec(page)?.[0] ?? "";
    expect(row).toContain('<td class="num">0<br><strong>10 te veel toegewezen</strong></td>');
  });
});
