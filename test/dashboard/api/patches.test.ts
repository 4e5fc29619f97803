// Patch compliance (BIO2 8.08.01) through the real server: the API and the page judge the latest daily patch
// snapshot by the one-week rule with the configured waivers; operators and auditors see every server, a
// department controller only their own department's (another department asked for is refused); CSV export;
// Dutch by default, English by the language cookie.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { savePatchSnapshots } from "../../../dashboard/data-access/patchSnapshots.js";
import type { PatchState } from "../../../dashboard/domain/patchCompliance.js";
import type { PatchView } from "../../../dashboard/app/patchViews.js";
import { parseCsv } from "../../../dashboard/domain/csv.js";
import { fixedNow, login, startTestDashboard, type Client, type TestDashboard } from "./testServer.js";

const day = 86_400;
const at = new Date(fixedNow - 3_600_000).toISOString();
const state = (host: string, department: string, ageDays: number, over: Partial<PatchState> = {}): PatchState => ({
  host,
  department,
  at,
  securityPending: ageDays > 0 ? 2 : 0,
  otherPending: 4,
  securityOldestAgeSeconds: ageDays * day,
  rebootRequired: false,
  rebootRequiredAgeSeconds: 0,
  ...over,
});

const waiversYaml = `schemaVersion: 1
waivers:
  - id: WVR-2026-050
    policies: [host-updates-require-security-within-week]
    scope: { hosts: [pz-bz-02] }
    category: Waiver
    justification: The supplier certifies the update with the next release.
    riskOwner: CISO
    riskAnalysis: RA-2026-077
    approvedBy: CISO
    approvedOn: 2026-11-01
    ticket: TOPdesk I2611-010
    expiresOn: 2026-12-01
`;

let dir: string;
let dashboard: TestDashboard | undefined;
let operator: Client;
let auditor: Client;
let controller: Client;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "muniops-patches-"));
  const waiversFile = join(dir, "waivers.yaml");
  writeFileSync(waiversFile, waiversYaml);
  dashboard = await startTestDashboard({ compliance: { waiversFile } });
  await savePatchSnapshots(dashboard.ledger.db, [
    state("pz-bz-01", "burgerzaken", 7),
    state("pz-bz-02", "burgerzaken", 9),
    state("pz-bz-03", "burgerzaken", 7.5, { rebootRequired: true, rebootRequiredAgeSeconds: 3 * day }),
    state("pz-bel-01", "belastingen", 12),
    state("pz-bel-02", "belastingen", 0, { securityPending: null, securityOldestAgeSeconds: null }),
  ]);
  [operator, auditor, controller] = (await Promise.all(
    ["operator", "auditor", "ctl-bz"].map((name) => login(dashboard!.url, name)),
  )) as [Client, Client, Client];
}, 120_000);

afterAll(async () => {
  await dashboard?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const view = async (client: Client, query = ""): Promise<PatchView> => {
  const res = await client.get(`/api/v1/patches${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as PatchView;
};

describe("patch compliance API", () => {
  test("judges every server by the one-week rule, a waiver with a risk analysis mitigating", async () => {
    const v = await view(operator);
    expect(v.day).toBe("2026-11-15");
    expect(v.hosts.map((h) => [h.host, h.verdict, h.mitigation?.waiverId ?? null])).toEqual([
      ["pz-bel-01", "breach", null],
      ["pz-bz-03", "breach", null],
      ["pz-bel-02", "unknown", null],
      ["pz-bz-02", "mitigated", "WVR-2026-050"],
      ["pz-bz-01", "within", null],
    ]);
    expect(v.overall).toMatchObject({ servers: 5, within: 1, mitigated: 1, breach: 2, unknown: 1 });
    expect(v.overall.shareWithinRule).toBeCloseTo(2 / 5);
    expect(v.departments.map((d) => [d.department, d.tally.shareWithinRule, d.tally.rebootPending])).toEqual([
      ["belastingen", 0, 0],
      ["burgerzaken", 2 / 3, 1],
    ]);
    expect((await view(auditor)).hosts).toHaveLength(5);
  });

  test("a department controller sees only their department, and is refused another", async () => {
    const v = await view(controller);
    expect(v.hosts.map((h) => h.host).sort()).toEqual(["pz-bz-01", "pz-bz-02", "pz-bz-03"]);
    expect(v.departments.map((d) => d.department)).toEqual(["burgerzaken"]);
    expect(v.departmentOptions).toEqual(["burgerzaken"]);
    expect((await controller.get("/api/v1/patches?department=belastingen")).status).toBe(403);
    expect((await controller.get("/patches?department=belastingen", { headers: { accept: "text/html" } })).status).toBe(
      403,
    );
  });

  test("exports the servers as CSV, narrowed by department", async () => {
    const res = await operator.get("/api/v1/patches?department=burgerzaken&format=csv");
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    const [header, ...rows] = parseCsv(await res.text()).map((r) => r.fields);
    expect(header?.slice(0, 3)).toEqual(["host", "department", "verdict"]);
    expect(rows.map((r) => [r[0], r[2], r[8]])).toEqual([
      ["pz-bz-03", "breach", ""],
      ["pz-bz-02", "mitigated", "WVR-2026-050"],
      ["pz-bz-01", "within", ""],
    ]);
  });
});

describe("patch compliance page", () => {
  const page = async (client: Client, path: string, cookie = ""): Promise<{ status: number; text: string }> => {
    const res = await client.get(path, {
      headers: { accept: "text/html", ...(cookie ? { cookie: `${client.cookie}; ${cookie}` } : {}) },
    });
    return { status: res.status, text: await res.text() };
  };

  test("shows the shares and every server in Dutch, and in English on request", async () => {
    const dutch = await page(operator, "/patches");
    expect(dutch.status).toBe(200);
    const headers = (await operator.get("/patches", { headers: { accept: "text/html" } })).headers;
    expect(headers.get("cache-control")).toBe("no-store");
    for (const text of ["Patchbeheer (BIO2 8.08.01)", "Hele omgeving", "Overtreding", "WVR-2026-050 (RA-2026-077"])
      expect(dutch.text).toContain(text);
    expect(dutch.text).toContain('<a href="/patches" aria-current="page">');
    const english = await page(operator, "/patches", "muniops_lang=en");
    for (const text of ["Patch compliance (BIO2 8.08.01)", "Whole fleet", "Breach", "Within the rule"])
      expect(english.text).toContain(text);
  });

  test("a department controller's page holds no other department's server", async () => {
    const own = await page(controller, "/patches");
    expect(own.status).toBe(200);
    expect(own.text).toContain("pz-bz-01");
    expect(own.text).not.toContain("pz-bel-");
    expect(own.text).not.toContain("belastingen");
  });
});
