// The compliance page and API: an auditor uploads a real `muniops audit --format json` report (validated
// field by field, stored in the ledger, logged), the server audits its configured preview file on
// request, the BIO coverage matrix lists every control of the reference, and waivers show their expiry
// as of today (expired, expiring soon, valid).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { audit } from "../../../policies/audit/evaluate.js";
import { readPreviewFile } from "../../../policies/audit/readPreview.js";
import { buildReport } from "../../../policies/audit/report.js";
import { bio2Catalog, isLive } from "../../../policies/bio2Catalog.js";
import { bioControls } from "../../../policies/bioControls.js";
import { renderJson } from "../../../policies/formats/json.js";
import { emptyWaivers, loadWaivers, type WaiverSet } from "../../../policies/waivers.js";
import { repoRoot } from "../../helpers/cli.js";
import { parseCsv } from "../../../dashboard/domain/csv.js";
import { fixedNow, login, startTestDashboard, type Client, type TestDashboard } from "./testServer.js";
import { started } from "../../helpers/started.js";

const fixtures = join(repoRoot, "test/fixtures/policies");
const knownViolations = join(fixtures, "known-violations.preview.json");

/** A real report, as `muniops audit --format json` writes it. */
function reportOf(preview: string, waivers: WaiverSet = emptyWaivers): Record<string, unknown> {
  const result = audit(readPreviewFile(preview), { waivers, now: new Date(fixedNow) });
  return JSON.parse(renderJson(buildReport(result, "test"))) as Record<string, unknown>;
}

const waiversYaml = `schemaVersion: 1
waivers:
  - id: WVR-2026-001
    policies: [storage-account-require-tls12]
    scope: { stacks: [leiden-prod] }
    broad: true
    category: Waiver
    justification: Legacy client until migration.
    riskOwner: CISO
    riskAnalysis: RA-2026-001
    approvedBy: CISO
    approvedOn: 2026-01-10
    ticket: TOPdesk I1
    expiresOn: 2026-11-25
  - id: WVR-2026-002
    policies: [network-networkinterface-disallow-ip-forwarding]
    scope: { stacks: [leiden-prod] }
    broad: true
    category: Waiver
    justification: NVA forwards traffic.
    riskOwner: CISO
    riskAnalysis: RA-2026-001
    approvedBy: CISO
    approvedOn: 2026-07-01
    ticket: TOPdesk I2
    expiresOn: 2027-06-30
  - id: WVR-2026-003
    policies: [keyvault-vault-require-firewall]
    scope: { stacks: [leiden-prod] }
    broad: true
    category: Waiver
    justification: Old exemption.
    riskOwner: CISO
    riskAnalysis: RA-2026-001
    approvedBy: CISO
    approvedOn: 2026-01-01
    ticket: TOPdesk I3
    expiresOn: 2026-10-01
`;

let dir: string;
let dashboard: TestDashboard;
let auditor: Client;
let admin: Client;
let operator: Client;
let controller: Client;
let manager: Client;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "muniops-compliance-"));
  const waiversFile = join(dir, "waivers.yaml");
  writeFileSync(waiversFile, waiversYaml);
  dashboard = await startTestDashboard({ compliance: { previewFile: knownViolations, waiversFile } });
  [auditor, admin, operator, controller, manager] = await Promise.all([
    login(dashboard.url, "auditor"),
    login(dashboard.url, "admin"),
    login(dashboard.url, "operator"),
    login(dashboard.url, "ctl-bz"),
    login(dashboard.url, "manager"),
  ]);
}, 120_000);

afterAll(async () => {
  await started(dashboard)?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const storedAudits = async (): Promise<number> =>
  Number((await sql<{ n: number }>`select count(*) as n from audit_reports`.execute(dashboard.ledger.db)).rows[0]?.n);

interface State {
  stacks: { stack: string; source: string; passed: boolean; mandatoryFailures: number; receivedFrom: string }[];
  stack: string | null;
  coverage: {
    control: string;
    state: string;
    pass: number;
    fail: number;
    waived: number;
    policies: { policyId: string }[];
  }[];
  failures: { policyId: string }[];
  waivers: { id: string; state: string; daysLeft: number | null }[];
  canRun: boolean;
}

describe("compliance", () => {
  test(
    "before any audit: every BIO2 entry (or Cloud-theme " + "control) listed as not covered, waivers as of today",
    async () => {
      const res = await operator.get("/api/v1/compliance");
      expect(res.status).toBe(200);
      const state = (await res.json()) as State;
      expect(state.stacks).toEqual([]);
      const live = bio2Catalog().entries.filter(isLive);
      expect(state.coverage.map((c) => c.control)).toEqual(live.map((e) => e.id));
      expect(new Set(state.coverage.map((c) => c.state))).toEqual(new Set(["not-covered"]));
      const cloud = (await (await operator.get("/api/v1/compliance?baseline=cloud-theme")).json()) as State;
      expect(cloud.coverage.map((c) => c.control)).toEqual(bioControls.map((c) => c.id));
      // "today" is the dashboard's clock (2026-11-15), not the day the test runs
      expect(state.waivers.map((w) => [w.id, w.state, w.daysLeft])).toEqual([
        ["WVR-2026-003", "expired", -45],
        ["WVR-2026-001", "expiring-soon", 10],
        ["WVR-2026-002", "active", 227],
      ]);
      expect(state.canRun).toBe(true);
    },
  );

  test("an auditor uploads a report of 300 kB: stored whole, shown per stack, logged", async () => {
    const report = reportOf(join(fixtures, "compliant.preview.json"));
    const findings = report.findings as unknown[];
    // larger than every other body the dashboard takes (64 kB): the upload route has its own limit
    const padded = {
      ...report,
      findings: [
        ...findings,
        ...Array.from({ length: 1500 }, (_, i) => ({
          policyId: "storage-account-require-tls12",
          enforcementLevel: "advisory",
          outcome: "unknown",
          message: `unknown ${i} ${"x".repeat(150)}`,
        })),
      ],
    };
    expect(JSON.stringify(padded).length).toBeGreaterThan(300_000);
    const res = await auditor.post("/api/v1/compliance/audits", padded);
    expect(res.status, await res.clone().text()).toBe(201);
    const created = (await res.json()) as { id: number; stack: string };
    const state = (await (
      await manager.get(`/api/v1/compliance?stack=${encodeURIComponent(created.stack)}`)
    ).json()) as State;
    expect(state.stacks.map((s) => [s.stack, s.source, s.receivedFrom])).toEqual([
      [created.stack, "upload", "auditor"],
    ]);
    const covered = state.coverage.filter((c) => c.state !== "not-covered");
    expect(covered.length).toBeGreaterThan(5);
    for (const c of covered) expect(c.policies.length).toBeGreaterThan(0);
    const log = (await (await admin.get("/api/v1/audit-log?entity=audit_report")).json()) as {
      entries: { actor: string; action: string; entityId: string }[];
    };
    expect(log.entries[0]).toMatchObject({ actor: "auditor", action: "upload", entityId: String(created.id) });
  });

  test("the server audits its configured preview file on request; the matrix shows the failures", async () => {
    const res = await admin.post("/api/v1/compliance/run", {});
    expect(res.status, await res.clone().text()).toBe(201);
    const run = (await res.json()) as { stack: string; summary: { mandatoryFailures: number; passed: boolean } };
    expect(run.summary.passed).toBe(false);
    // the same figures as `muniops audit` with the same waivers (the expired one is itself a violation)
    const expected = reportOf(knownViolations, loadWaivers(join(dir, "waivers.yaml"), new Date(fixedNow))) as {
      summary: { mandatoryFailures: number };
    };
    expect(run.summary.mandatoryFailures).toBe(expected.summary.mandatoryFailures);
    const state = (await (
      await auditor.get(`/api/v1/compliance?stack=${encodeURIComponent(run.stack)}`)
    ).json()) as State;
    const row = state.stacks.find((s) => s.stack === run.stack);
    expect(row).toMatchObject({ source: "server", passed: false, receivedFrom: "admin" });
    const failing = state.coverage.filter((c) => c.state === "fail");
    expect(failing.length).toBeGreaterThan(0);
    for (const c of failing) expect(c.fail).toBeGreaterThan(0);
    expect(state.failures.length).toBeGreaterThan(0);
    const csv = await (
      await auditor.get(`/api/v1/compliance/coverage?stack=${encodeURIComponent(run.stack)}&format=csv`)
    ).text();
    expect(csv.split("\r\n")[0]).toBe("stack,baseline,control,isoControl,state,pass,fail,waived,policies,gap");
    const rows = parseCsv(csv).slice(1);
    expect(rows.filter((r) => r.fields[4] === "fail").length).toBe(failing.length);
    // measures no policy evidences are rows saying so, not left out
    expect(rows.find((r) => r.fields[2] === "5.01.01")?.fields[9]).toBe("not evidenced by a policy");
  });

  test("invalid uploads: 400 naming the fields, nothing stored", async () => {
    const before = await storedAudits();
    const good = reportOf(join(fixtures, "compliant.preview.json"));
    const res = await auditor.post("/api/v1/compliance/audits", {
      ...good,
      schemaVersion: 2,
      generatedAt: "yesterday",
      summary: { ...(good.summary as object), passed: "yes" },
    });
    expect(res.status).toBe(400);
    const error = (await res.json()) as { fields: Record<string, string[]> };
    expect(Object.keys(error.fields).sort()).toEqual(["body.generatedAt", "body.schemaVersion", "body.summary.passed"]);
    expect((await auditor.post("/api/v1/compliance/audits", "[1,2]")).status).toBe(400);
    expect(
      (await auditor.post("/api/v1/compliance/audits", JSON.stringify({ findings: "x".repeat(9_000_000) }))).status,
    ).toBe(413);
    const form = await auditor.post("/compliance/audits", { report: "{not json" }, { form: true });
    expect(form.status).toBe(400);
    expect(await storedAudits()).toBe(before);
  });

  test(
    "an uploaded report's passed is recounted from its findings: a claimed pass beside a mandatory violation " +
      "is stored as failed",
    async () => {
      const honest = reportOf(knownViolations) as {
        summary: { passed: boolean; mandatoryFailures: number };
        findings: { enforcementLevel: string; outcome: string }[];
      };
      expect(honest.summary.passed).toBe(false);
      const claimed = {
        ...honest,
        stack: "claims-pass",
        summary: { ...honest.summary, passed: true, mandatoryFailures: 0, advisoryFailures: 0 },
      };
      const res = await auditor.post("/api/v1/compliance/audits", claimed);
      expect(res.status, await res.clone().text()).toBe(201);
      const created = (await res.json()) as { summary: { passed: boolean; mandatoryFailures: number } };
      expect(created.summary).toMatchObject({ passed: false, mandatoryFailures: honest.summary.mandatoryFailures });
      const state = (await (await auditor.get("/api/v1/compliance?stack=claims-pass")).json()) as State;
      expect(state.stacks.find((s) => s.stack === "claims-pass")).toMatchObject({
        passed: false,
        mandatoryFailures: honest.summary.mandatoryFailures,
      });
      const csv = await (await auditor.get("/api/v1/compliance/audits?format=csv")).text();
      expect(
        parseCsv(csv)
          .find((r) => r.fields[1] === "claims-pass")
          ?.fields.slice(5, 7),
      ).toEqual(["upload", "no"]);
    },
  );

  test("a finding marked waived without an active waiver for its policy counts as a failure", async () => {
    const compliant = reportOf(join(fixtures, "compliant.preview.json")) as {
      summary: { passed: boolean };
      findings: unknown[];
    };
    expect(compliant.summary.passed).toBe(true);
    const fakeWaiver = {
      policyId: "storage-account-require-tls12",
      enforcementLevel: "mandatory",
      outcome: "waived",
      message: "TLS 1.0 allowed",
      waiverId: "WVR-NONE",
    };
    const res = await auditor.post("/api/v1/compliance/audits", {
      ...compliant,
      stack: "fake-waiver",
      findings: [...compliant.findings, fakeWaiver],
    });
    expect(res.status, await res.clone().text()).toBe(201);
    expect(
      ((await res.json()) as { summary: { passed: boolean; mandatoryFailures: number; waived: number } }).summary,
    ).toMatchObject({ passed: false, mandatoryFailures: 1 });
    const state = (await (await auditor.get("/api/v1/compliance?stack=fake-waiver")).json()) as State;
    expect(state.failures.map((f) => f.policyId)).toContain("storage-account-require-tls12");
  });

  test("the page's upload recounts too", async () => {
    const honest = reportOf(knownViolations) as { summary: object };
    const claimed = {
      ...honest,
      stack: "claims-pass-form",
      summary: { ...honest.summary, passed: true, mandatoryFailures: 0 },
    };
    expect((await auditor.post("/compliance/audits", { report: JSON.stringify(claimed) }, { form: true })).status).toBe(
      303,
    );
    const state = (await (await auditor.get("/api/v1/compliance?stack=claims-pass-form")).json()) as State;
    expect(state.stacks.find((s) => s.stack === "claims-pass-form")?.passed).toBe(false);
  });

  test("roles: auditors and admins write, operators and managers read, controllers see none of it", async () => {
    const report = reportOf(join(fixtures, "compliant.preview.json"));
    for (const client of [operator, manager, controller]) {
      expect((await client.post("/api/v1/compliance/audits", report)).status).toBe(403);
      expect((await client.post("/api/v1/compliance/run", {})).status).toBe(403);
      // the page's forms go through the same check
      expect((await client.post("/compliance/audits", { report: JSON.stringify(report) }, { form: true })).status).toBe(
        403,
      );
      expect((await client.post("/compliance/run", {}, { form: true })).status).toBe(403);
    }
    expect((await controller.get("/api/v1/compliance")).status).toBe(403);
    expect((await controller.get("/compliance", { headers: { accept: "text/html" } })).status).toBe(403);
    const page = await (await operator.get("/compliance", { headers: { accept: "text/html" } })).text();
    expect(page).not.toContain('action="/compliance/audits"');
    expect(page).toContain("WVR-2026-003");
  });

  test(
    "the page: an auditor uploads through the form and sees " + "the stack, its matrix and the waivers' expiry",
    async () => {
      const report = reportOf(join(fixtures, "compliant.preview.json"));
      const res = await auditor.post("/compliance/audits", { report: JSON.stringify(report) }, { form: true });
      expect(res.status).toBe(303);
      const location = res.headers.get("location") ?? "";
      expect(location).toMatch(/^\/compliance\?stack=.+&done=audit$/);
      const page = await (await auditor.get(location, { headers: { accept: "text/html" } })).text();
      expect(page).toContain('role="status"');
      expect(page).toMatch(/<th scope="row">8\.24\.04<\/th>/);
      // states carry a symbol and a word, not colour alone
      expect(page).toMatch(/▲ Verlopen/);
      expect(page).toMatch(/△ Verloopt binnenkort/);
      expect(page).toContain('action="/compliance/run"');
    },
  );

  test("unknown stack: 400 naming the stacks that have audits", async () => {
    const res = await auditor.get("/api/v1/compliance?stack=nope");
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/no audit of stack "nope"/);
  });
});
