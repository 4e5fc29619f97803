// The OIDC round trip in a real browser (headless Chromium), with the dashboard (localhost) and the
// provider (127.0.0.1) on different sites, as in production. This is what an HTTP client cannot show:
// after the provider's cross-site redirect, Chromium must still send the SameSite=Strict session cookie
// when the callback page moves on, and CSP must let every step through.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { repoRoot } from "../../helpers/cli.js";
import { startOidcDashboard, type OidcDashboard } from "./oidcFixture.js";
import { started } from "../../helpers/started.js";

const chromiumPath = "/usr/bin/chromium";
const artifacts = join(repoRoot, "test/artifacts/dashboard");
let fixture: OidcDashboard;
let browser: Browser;

interface AxeViolation {
  id: string;
  impact: string | null;
}

/**
 * WCAG 2.1 AA violations that are serious or critical (axe-core, injected by the DevTools protocol: the CSP forbids
 * inline script).
 */
async function accessibilityProblems(page: Page): Promise<string[]> {
  await page.evaluate(readFileSync(join(repoRoot, "node_modules/" + "axe-core/axe.min.js"), "utf8"));
  const tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
  const violations = await page.evaluate(
    async (values) =>
      (
        await (globalThis as unknown as { axe: { run(o: unknown): Promise<{ violations: AxeViolation[] }> } }).axe.run({
          runOnly: { type: "tag", values },
        })
      ).violations,
    tags,
  );
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id);
}

beforeAll(async () => {
  if (!existsSync(chromiumPath))
    throw new Error(
      `Chromium is needed at ${chromiumPath} for the browser tests (apt-get install chromium; .ci/run installs it)`,
    );
  fixture = await startOidcDashboard("localhost");
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  mkdirSync(artifacts, { recursive: true });
}, 120_000);

afterAll(async () => {
  await started(browser)?.close();
  await started(fixture)?.close();
});

test("sign in with the provider's form, land on the page asked for, signed in; log out at both", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/.test(message.text())) violations.push(message.text());
  });
  await page.goto(`${fixture.base}/periods`);
  expect(new URL(page.url()).pathname).toBe("/login");
  expect(await accessibilityProblems(page)).toEqual([]);
  await page.getByRole("link", { name: "Inloggen met Entra ID" }).click();
  await page.waitForURL((url) => url.origin === fixture.provider.issuer);
  await page.fill('input[name="login"]', "manager-sub");
  await page.fill('input[name="password"]', "any");
  await page.click('button[type="submit"]');
  await page.waitForURL(`${fixture.base}/periods`);
  await expect.poll(() => page.textContent("header")).toContain("Marieke de Vries");
  const session = (await context.cookies(fixture.base)).find((c) => c.name === "muniops_session");
  expect(session).toMatchObject({ httpOnly: true, sameSite: "Strict" });
  await page.screenshot({ path: join(artifacts, "oidc-signed-in.png"), fullPage: true });

  await page.getByRole("button", { name: "Uitloggen" }).click();
  await page.waitForURL((url) => url.origin === fixture.provider.issuer);
  expect((await context.cookies(fixture.base)).some((c) => c.name === "muniops_session")).toBe(false);
  expect(violations).toEqual([]);
  await context.close();
}, 90_000);

test("claims without a role end on an accessible refusal page, signed out", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${fixture.base}/login/oidc`);
  await page.fill('input[name="login"]', "nobody-sub");
  await page.fill('input[name="password"]', "any");
  await page.click('button[type="submit"]');
  await page.waitForURL((url) => url.href.startsWith(fixture.callback));
  await expect.poll(() => page.textContent("main")).toContain("heeft geen rol in muniops");
  expect(await accessibilityProblems(page)).toEqual([]);
  expect((await context.cookies(fixture.base)).some((c) => c.name === "muniops_session")).toBe(false);
  await page.screenshot({ path: join(artifacts, "oidc-refused.png"), fullPage: true });
  await context.close();
}, 90_000);
