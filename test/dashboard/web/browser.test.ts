// The dashboard in headless Chromium (playwright-core, Debian's /usr/bin/chromium): log in, the
// overview with its chart, a department, a statement download, closing a month as service manager and
// being refused as controller, the language switch; axe-core on every page (no serious or critical
// violations) and no CSP violation. Screenshots go to test/artifacts/.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { repoRoot } from "../../helpers/cli.js";
import { scrapeInventory } from "../../../dashboard/metering/embeddedSource.js";
import type { InventoryHost } from "../../../contracts/inventory.js";
import { fixedNow, password, startTestDashboard, type TestDashboard } from "../api/testServer.js";
import { fixtureDir } from "../helpers/handMonth.js";
import { started } from "../../helpers/started.js";

const browserWaivers = [
  "WVR-2026-001|storage-account-require-tls12|2026-01-10|2026-11-25",
  "WVR-2026-002|keyvault-vault-require-firewall|2026-01-01|2026-10-01",
]
  .map((w) => w.split("|"))
  .reduce(
    (yaml, [id, policy, approved, expires]) =>
      `${yaml}  - { id: ${id}, policies: [${policy}], scope: { stacks: [leiden-prod] }, broad: true, ` +
      `category: Waiver, justification: test, riskOwner: CISO, riskAnalysis: RA-1, approvedBy: CISO, ` +
      `approvedOn: ${approved}, ticket: T-1, expiresOn: ${expires} }\n`,
    "schemaVersion: 1\nwaivers:\n",
  );

const chromiumPath = "/usr/bin/chromium";
const artifacts = join(repoRoot, "test/artifacts/dashboard");
const axeSource = readFileSync(join(repoRoot, "node_modules/axe-core/axe.min.js"), "utf8");

let dashboard: TestDashboard;
let browser: Browser;
const cspViolations: string[] = [];

beforeAll(async () => {
  if (!existsSync(chromiumPath))
    throw new Error(
      `Chromium is needed at ${chromiumPath} for the browser tests (apt-get install chromium; .ci/run installs it)`,
    );
  mkdirSync(artifacts, { recursive: true });
  // the compliance page with something to show: waivers (one expired, one expiring) and a preview to audit
  const waiversFile = join(artifacts, "waivers.yaml");
  writeFileSync(waiversFile, browserWaivers);
  dashboard = await startTestDashboard({
    compliance: { previewFile: join(repoRoot, "test/fixtures/policies/known-violations.preview.json"), waiversFile },
  });
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}, 120_000);

afterAll(async () => {
  await started(browser)?.close();
  await started(dashboard)?.close();
});

async function session(username: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });
  await page.goto(`${dashboard.url}/login`);
  await page.getByLabel("Gebruikersnaam").fill(username);
  await page.getByLabel("Wachtwoord").fill(password);
  await Promise.all([
    page.waitForURL((u) => !u.pathname.startsWith("/login")),
    page.getByRole("button", { name: "Inloggen" }).click(),
  ]);
  return { context, page };
}

/** axe-core, injected through the DevTools protocol (the page's CSP rightly forbids inline script). */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run(
            o: unknown,
          ): Promise<{ violations: { id: string; impact: string | null; nodes: { target: unknown }[] }[] }>;
        };
      }
    ).axe;
    return axe.run({ runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
  });
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact ?? ""}): ${JSON.stringify(v.nodes.map((n) => n.target))}`);
}

async function check(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
  expect(await seriousViolations(page), name).toEqual([]);
}

describe("dashboard in Chromium", () => {
  test("the login page is accessible", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${dashboard.url}/`);
    expect(new URL(page.url()).pathname).toBe("/login");
    await check(page, "login");
    await context.close();
  });

  test("log in, see the overview with its chart, drill into a department, download a statement", async () => {
    const { context, page } = await session("manager");
    await page.waitForSelector("html[data-charts=ready]");
    // counted in the page (a string: this project compiles without the DOM library)
    const drawn = await page.evaluate<{ width: number; painted: number }>(`(() => {
      const canvas = document.getElementById("department-chart");
      const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
      let painted = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted++;
      return { width: canvas.width, painted };
    })()`);
    expect(drawn.width).toBeGreaterThan(0);
    expect(drawn.painted).toBeGreaterThan(1000);
    await expect(page.locator("h1").textContent()).resolves.toBe("Overzicht");
    await check(page, "overview");

    await page.goto(`${dashboard.url}/departments/burgerzaken?period=2026-10`);
    const total = await page.getByTestId("department-total").textContent();
    expect(total).toMatch(/^€\s[\d.]+,\d{2}$/);
    await check(page, "department");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download afrekening (CSV)" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("statement-burgerzaken-2026-10.csv");
    const saved = join(artifacts, download.suggestedFilename());
    await download.saveAs(saved);
    const csv = readFileSync(saved, "utf8");
    expect(csv).toMatch(/^period,status,department,costCenter/);
    const grand = /"total","total","total",,,"[^"\r\n]*",(-?\d+\.\d{2})\r?$/m.exec(csv)?.[1] ?? "";
    // the page shows the statement's total in Dutch notation
    expect(total?.replace(/[€\s.]/g, "").replace(",", ".")).toBe(grand);

    for (const path of ["/periods", "/licences", "/rates", "/operations", "/compliance"]) {
      await page.goto(`${dashboard.url}${path}`);
      await check(page, path.slice(1));
    }
    // the shared-cost form filled in for a change
    await page.goto(`${dashboard.url}/rates?edit=hub-network`);
    await expect(page.getByLabel("Naam", { exact: true }).inputValue()).resolves.toBe("Hub network and firewall");
    await check(page, "rates-edit-cost-item");
    await context.close();
  });

  test("a controller is refused the close; a service manager closes after preview and confirmation", async () => {
    const ctl = await session("ctl-bz");
    await ctl.page.goto(`${dashboard.url}/periods`);
    expect(await ctl.page.getByRole("link", { name: /Maand afsluiten/ }).count()).toBe(0);
    const refused = await ctl.page.goto(`${dashboard.url}/periods/2026-10/close`);
    expect(refused?.status()).toBe(403);
    await check(ctl.page, "close-refused-controller");

    const { context, page } = await session("manager");
    await page.goto(`${dashboard.url}/periods`);
    await page.getByRole("link", { name: "Maand afsluiten 2026-10" }).click();
    await expect(page.locator("main h2").textContent()).resolves.toMatch(/2026-10/);
    await check(page, "close-preview");
    // without the confirmation the browser does not submit (required checkbox)
    await page.getByRole("button", { name: "Maand afsluiten 2026-10" }).click();
    expect(new URL(page.url()).pathname).toBe("/periods/2026-10/close");
    await page.getByLabel(/Ik bevestig dat 2026-10/).check();
    await Promise.all([
      page.waitForURL(/\/periods\?done=2026-10/),
      page.getByRole("button", { name: "Maand afsluiten 2026-10" }).click(),
    ]);
    await expect(page.getByRole("status").textContent()).resolves.toBe("Periode 2026-10 is afgesloten.");
    await check(page, "periods-after-close");

    // the controller now signs off their statement from the department page
    await ctl.page.goto(`${dashboard.url}/departments/burgerzaken?period=2026-10`);
    await Promise.all([
      ctl.page.waitForURL(/done=saved/),
      ctl.page.getByRole("button", { name: "Akkoord geven" }).click(),
    ]);
    await expect(ctl.page.getByTestId("statement-status").textContent()).resolves.toBe("Akkoord");
    await context.close();
    await ctl.context.close();
  });

  test("switch to English and back, one click each; the auditor reads the audit log", async () => {
    const { context, page } = await session("auditor");
    await page.getByRole("link", { name: "Switch to English" }).click();
    await page.waitForSelector("html[lang=en]");
    await expect(page.locator("h1").textContent()).resolves.toBe("Overview");
    const total = await page.getByTestId("current-total").textContent();
    expect(total).toMatch(/^€[\d,]+\.\d{2}$/);
    await check(page, "overview-en");
    await page.getByRole("link", { name: "Audit log" }).click();
    await expect(page.locator("h1").textContent()).resolves.toBe("Audit log");
    expect(await page.locator("tbody tr").count()).toBeGreaterThan(0);
    await check(page, "audit-log-en");
    await page.getByRole("link", { name: "Schakel naar Nederlands" }).click();
    await page.waitForSelector("html[lang=nl]");
    await expect(page.locator("h1").textContent()).resolves.toBe("Auditlog");
    await context.close();
  });

  test(
    "an auditor adds an audit report from a file and has the server run one; compliance and live operations " +
      "pass axe",
    async () => {
      const agentText = readFileSync(join(fixtureDir, "agent-metrics.prom"), "utf8");
      const host = {
        name: "bz-app-01",
        address: "192.0.2.1",
        agentPort: 9110,
        department: "burgerzaken",
        service: "brp",
        role: "app",
        environment: "prod",
        os: "linux",
        vmSize: "Standard_D4s_v5",
        vcpus: 4,
        memoryGiB: 16,
        disks: [],
      } as InventoryHost;
      await scrapeInventory(dashboard.ledger, [host], {
        timeoutMs: 1000,
        now: fixedNow - 60_000,
        fetchers: { agent: () => Promise.resolve(agentText) },
      });
      const { context, page } = await session("auditor");
      await page.goto(`${dashboard.url}/compliance`);
      await check(page, "compliance-empty");
      const { audit } = await import("../../../policies/audit/evaluate.js");
      const { readPreviewFile } = await import("../../../policies/audit/readPreview.js");
      const { buildReport } = await import("../../../policies/audit/report.js");
      const { renderJson } = await import("../../../policies/formats/json.js");
      const { emptyWaivers } = await import("../../../policies/waivers.js");
      const report = renderJson(
        buildReport(
          audit(readPreviewFile(join(repoRoot, "test/fixtures/policies/compliant.preview.json")), {
            waivers: emptyWaivers,
          }),
          "test",
        ),
      );
      await page
        .getByLabel(/Auditrapport kiezen/)
        .setInputFiles({ name: "audit.json", mimeType: "application/json", buffer: Buffer.from(report) });
      // the page's script reads the chosen file into the form
      await page.waitForFunction(`document.getElementById("report").value.length > 1000`);
      await Promise.all([page.waitForURL(/done=audit/), page.getByRole("button", { name: "Toevoegen" }).click()]);
      await expect(page.getByRole("status").textContent()).resolves.toBe("Audit opgeslagen.");
      await Promise.all([
        page.waitForURL(/done=audit/),
        page.getByRole("button", { name: "Audit nu uitvoeren" }).click(),
      ]);
      expect(await page.locator("table").first().locator("tbody tr").count()).toBe(2);
      expect(await page.getByText("▲ Verlopen").count()).toBe(1);
      await check(page, "compliance");
      await page.goto(`${dashboard.url}/operations`);
      expect(await page.getByText("Volste bestandssysteem").count()).toBeGreaterThan(0);
      await check(page, "operations-live");
      await context.close();
    },
  );

  test("no page violated the Content Security Policy", () => {
    expect(cspViolations).toEqual([]);
  });
}, 180_000);
