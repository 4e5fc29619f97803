// The compliance page by BIO2 in headless Chromium (playwright-core, /usr/bin/chromium): with a year of
// stored audits, an auditor sees the matrix keyed by BIO2 measure id with its ISO control, the measures no
// policy evidences named as such, a twelve-month trend per measure from the audit history, and the
// dossier download.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { runAndStoreAudits } from "../../../dashboard/app/complianceReports.js";
import { repoRoot } from "../../helpers/cli.js";
import { started } from "../../helpers/started.js";
import { fixedNow, password, startTestDashboard, type TestDashboard } from "../api/testServer.js";

const chromiumPath = "/usr/bin/chromium";
const artifacts = join(repoRoot, "test/artifacts/dashboard");
const waivers =
  `schemaVersion: 1
waivers:
  - { id: WVR-2026-002, policies: [storage-account-require-tls12], scope: { stacks: [dev] }, broad: true, ` +
  `category: Waiver, justification: test, riskOwner: CISO, riskAnalysis: RA-7, approvedBy: CISO, approvedOn: ` +
  `2026-01-01, ticket: T-1, expiresOn: 2026-10-01 }
`;

let dashboard: TestDashboard;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(chromiumPath)) throw new Error(`Chromium is needed at ${chromiumPath} for the browser tests`);
  mkdirSync(artifacts, { recursive: true });
  const waiversFile = join(artifacts, "bio2-waivers.yaml");
  writeFileSync(waiversFile, waivers);
  const compliance = {
    previewFile: join(repoRoot, "test/fixtures/policies/known-violations.preview.json"),
    waiversFile,
  };
  dashboard = await startTestDashboard({ compliance });
  // a monthly audit from February to November: the waiver covers the storage account's TLS until October
  const times = Array.from({ length: 10 }, (_, i) => Date.UTC(2026, 1 + i, 10, 6)).filter((t) => t < fixedNow);
  await runAndStoreAudits(dashboard.ledger.db, compliance, { actor: "auditor", times });
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}, 120_000);

afterAll(async () => {
  await started(browser)?.close();
  await started(dashboard)?.close();
});

test("the compliance page shows BIO2 measure ids, gaps and the trend per measure", async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${dashboard.url}/login`);
  await page.getByLabel("Gebruikersnaam").fill("auditor");
  await page.getByLabel("Wachtwoord").fill(password);
  await Promise.all([
    page.waitForURL((u) => !u.pathname.startsWith("/login")),
    page.getByRole("button", { name: "Inloggen" }).click(),
  ]);
  await page.goto(`${dashboard.url}/compliance`);
  const matrix = page.locator("section[aria-labelledby=coverage]");
  await expect.poll(() => matrix.locator("h2").textContent()).toContain("BIO2-maatregelen");
  const row = (id: string) => matrix.locator("tr", { has: page.locator(`th[scope=row]:text-is("${id}")`) });
  // a measure with policies: its ISO control and results
  await expect.poll(() => row("8.24.04").locator("td").first().textContent()).toBe("8.24");
  // a measure no policy evidences is listed as such
  await expect.poll(() => row("5.01.01").textContent()).toContain("Geen controle onderbouwt deze maatregel");
  // the trend: twelve months, audited ones marked, TLS 1.2 (8.24.04) waived, then failing once the waiver expired
  const marks = row("8.20.02").locator(".trend");
  expect(await marks.count()).toBe(12);
  const states = await marks.evaluateAll((els) =>
    els.map((e) => (e as unknown as { className: string }).className.replace("trend trend-", "")),
  );
  // December and January had no audit; February to November one each
  expect(states.slice(0, 2)).toEqual(["none", "none"]);
  expect(states.filter((s) => s !== "none").length).toBe(10);
  const tls = await row("8.24.04")
    .locator(".trend")
    .evaluateAll((els) =>
      els.map((e) => (e as unknown as { className: string }).className.replace("trend trend-", "")),
    );
  expect(tls).toEqual(["none", "none", ...Array<string>(8).fill("waived"), "fail", "fail"]);
  expect(await page.locator('a[href^="/api/v1/compliance/evidence?year="]').count()).toBe(2);
  // the Cloud-theme view is one click away
  await page.getByRole("link", { name: "Cloud-thema (BIO 1.04)" }).click();
  await expect.poll(() => matrix.locator("h2").textContent()).toContain("Cloud-thema");
  expect(await matrix.locator('th[scope=row]:text-is("U.05.1")').count()).toBe(1);
  await page.screenshot({ path: join(artifacts, "compliance-bio2.png"), fullPage: false });
  await context.close();
});
