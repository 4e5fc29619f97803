// The README's dashboard screenshots (dashboard/web/screenshots/), taken in Chromium from `muniops demo` —
// 19 departments and a year of history — rather than from the browser tests' three-department fixture.
// They are committed files, so they are taken again only on request:
//   MUNIOPS_UPDATE_SCREENSHOTS=1 npx vitest run test/readme.screenshots.test.ts
// Otherwise the test checks what is committed: one screenshot per page the README shows, each a PNG of
// the first 1280×800 of the page, small enough for a repository.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { chromium, type Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { startDemo } from "../dashboard/demo/runDemo.js";
import { StepProgress } from "../dashboard/demo/progress.js";
import { repoRoot } from "./helpers/cli.js";

const screenshotDir = join(repoRoot, "dashboard/web/screenshots");
const viewport = { width: 1280, height: 800 };
const maxBytes = 300 * 1024;
const update = process.env.MUNIOPS_UPDATE_SCREENSHOTS === "1";

/** What the README shows, and as whom: each page seen by the role that works with it. */
const shots = [
  { name: "overview", user: "servicemanager", path: "/" },
  { name: "department", user: "servicemanager", path: "/departments/burgerzaken" },
  { name: "operations", user: "operator", path: "/operations" },
  // below the upload form: the audit the demo stored at start-up and the start of the BIO coverage matrix
  { name: "compliance", user: "auditor", path: "/compliance", scrollTo: "Latest audit per stack" },
] as const;

/** Width and height from a PNG's IHDR chunk, which always comes first. */
function pngDimensions(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  expect(bytes.subarray(1, 4).toString("latin1"), `${file} is not a PNG`).toBe("PNG");
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

async function logIn(page: Page, url: string, username: string): Promise<void> {
  await page.goto(`${url}/login`);
  await page.getByLabel("Gebruikersnaam").fill(username);
  await page.getByLabel("Wachtwoord").fill("demo");
  await Promise.all([
    page.waitForURL((u) => !u.pathname.startsWith("/login")),
    page.getByRole("button", { name: "Inloggen" }).click(),
  ]);
  // The README is in English; the dashboard's default is Dutch, one click away.
  await page.goto(`${url}/language/en?return=/`);
}

describe("README screenshots", () => {
  it("are committed: one PNG of 1280×800 per page the README shows, each under 300 KiB", () => {
    const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
    const shown = [...readme.matchAll(/\]\(dashboard\/web\/screenshots\/([a-z-]+)\.png\)/g)].map((m) => m[1]);
    expect(new Set(shown)).toEqual(new Set(shots.map((s) => s.name)));
    for (const { name } of shots) {
      const file = join(screenshotDir, `${name}.png`);
      expect(
        existsSync(file),
        `${file} is missing: MUNIOPS_UPDATE_SCREENSHOTS=1 npx vitest run test/readme.screenshots.test.ts`,
      ).toBe(true);
      expect(pngDimensions(file)).toEqual(viewport);
      expect(statSync(file).size).toBeLessThan(maxBytes);
    }
  });

  it.runIf(update)(
    "are taken again from `muniops demo` in Chromium (MUNIOPS_UPDATE_SCREENSHOTS=1)",
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), "muniops-screenshots-"));
      const quiet = new StepProgress(
        new Writable({
          write: (_chunk, _encoding, done) => {
            done();
          },
        }),
      );
      const demo = await startDemo({
        dataDir,
        fresh: true,
        host: "127.0.0.1",
        port: 0,
        metering: "embedded",
        seed: 125_000,
        stack: "leiden-prod",
        dashboard: { sessionTtlMs: 3_600_000, slaTarget: 99.8, loginAttempts: 100 },
        progress: quiet,
      });
      const browser = await chromium.launch({
        executablePath: "/usr/bin/chromium",
        args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
      });
      try {
        for (const shot of shots) {
          const context = await browser.newContext({ viewport });
          const page = await context.newPage();
          await logIn(page, demo.url, shot.user);
          const response = await page.goto(`${demo.url}${shot.path}`);
          expect(response?.status(), shot.path).toBe(200);
          if (shot.name === "overview") await page.waitForSelector("html[data-charts=ready]");
          // a string: this project compiles without the DOM library
          if ("scrollTo" in shot)
            await page.evaluate(
              `[...document.querySelectorAll("h2")].find((h) => ` +
                `h.textContent.startsWith(${JSON.stringify(shot.scrollTo)})).scrollIntoView()`,
            );
          await page.screenshot({ path: join(screenshotDir, `${shot.name}.png`) });
          await context.close();
        }
      } finally {
        await browser.close();
        await demo.stop();
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
    600_000,
  );
});
