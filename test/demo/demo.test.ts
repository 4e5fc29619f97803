// `muniops demo` end to end, from a clean data directory, as a newcomer would run it: start it as a
// child process, wait for "ready", then in headless Chromium log in as the service manager, see charges
// for the departments and the stack's audit on the compliance API, close last month through the UI and check the
// downloaded statement PDF against
// the API. Once with embedded metering and once through a real Prometheus (history backfilled by
// promtool). Ctrl-C must stop everything and exit 0. Screenshots go to test/artifacts/demo/.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { previousPeriod, currentPeriod } from "../../dashboard/domain/period.js";
import { repoRoot, runCli } from "../helpers/cli.js";
import { freePort } from "../dashboard/helpers/peers.js";
import { started } from "../helpers/started.js";

const run = promisify(execFile);
const chromiumPath = "/usr/bin/chromium";
const artifacts = join(repoRoot, "test/artifacts/demo");

interface DemoProcess {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Start the demo the way `npm start` does (tsx), and wait for its "ready" line. */
/** The health Prometheus reports for its muniops-dashboard target, once it has scraped it (or the last seen). */
async function dashboardScrapeHealth(prometheusUrl: string, timeoutMs: number): Promise<string | undefined> {
  const deadline = Date.now() + timeoutMs;
  let health: string | undefined;
  while (Date.now() < deadline) {
    const body = (await (await fetch(`${prometheusUrl}/api/v1/targets?state=active`)).json()) as {
      data: { activeTargets: { labels: { job: string }; health: string; lastError: string }[] };
    };
    const target = body.data.activeTargets.find((t) => t.labels.job === "muniops-dashboard");
    health = target ? `${target.health}${target.lastError ? `: ${target.lastError}` : ""}` : undefined;
    if (health === "up") return health;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return health;
}

async function startDemo(args: readonly string[], timeoutMs = 150_000): Promise<DemoProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", join(repoRoot, "muniops.ts"), "demo", ...args], {
    cwd: repoRoot,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => {
      resolve(code);
    }),
  );
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ready = /muniops demo ready in [\d.]+ s: (http:\/\/\S+)/.exec(out);
    if (ready?.[1]) return { child, url: ready[1], stdout: () => out, stderr: () => err, exited };
    if (child.exitCode !== null) throw new Error(`the demo exited with ${child.exitCode}:\n${err}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the demo was not ready within ${timeoutMs / 1000} s:\n${err}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function login(browser: Browser, url: string, username: string): Promise<Page> {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${url}/login`);
  await page.getByLabel("Gebruikersnaam").fill(username);
  await page.getByLabel("Wachtwoord").fill("demo");
  await Promise.all([
    page.waitForURL((u) => !u.pathname.startsWith("/login")),
    page.getByRole("button", { name: "Inloggen" }).click(),
  ]);
  return page;
}

/** "€ 1.234,56" → "1234.56" */
const euros = (text: string): string => text.replace(/[€\s.\u00a0]/g, "").replace(",", ".");

interface StatementJson {
  departments: {
    id: string;
    compute: string;
    storage: string;
    licences: string;
    shared: string;
    adjustments: string;
    total: string;
  }[];
  status: string;
}

/** The amounts on the statement PDF's subtotal and total rows, as its text says them. */
async function pdfTotals(file: string): Promise<Record<string, string>> {
  const { stdout } = await run("pdftotext", ["-layout", file, "-"]);
  const totals: Record<string, string> = {};
  for (const line of stdout.split("\n")) {
    const match = /^\s*(compute|storage|licences|shared|adjustments|total)\s+(-?\d+\.\d{2})\s*$/.exec(line);
    if (match?.[1] && match[2]) totals[match[1]] = match[2];
  }
  return totals;
}

let browser: Browser;

beforeAll(async () => {
  if (!existsSync(chromiumPath))
    throw new Error(`Chromium is needed at ${chromiumPath} (apt-get install chromium; .ci/run installs it)`);
  if (!existsSync("/usr/bin/pdftotext"))
    throw new Error(
      "pdftotext is needed to read the statement PDF (apt-get install poppler-utils; .ci/run installs it)",
    );
  mkdirSync(artifacts, { recursive: true });
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
});

afterAll(async () => {
  await started(browser)?.close();
});

describe("muniops demo", () => {
  test("a port in use is one clear line and exit 2, before any work", async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) =>
      blocker.listen(0, "localhost", () => {
        resolve();
      }),
    );
    const port = (blocker.address() as { port: number }).port;
    const dataDir = mkdtempSync(join(tmpdir(), "muniops-demo-port-"));
    try {
      const result = await runCli(["demo", "--port", String(port), "--data-dir", dataDir], { timeoutMs: 60_000 });
      expect(result.code).toBe(2);
      const lines = result.stderr.trim().split("\n");
      expect(lines.at(-1)).toMatch(new RegExp(`^muniops: --port ${port}: address already in use`));
      expect(result.stderr).not.toMatch(/\n\s+at /);
    } finally {
      blocker.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  for (const mode of ["embedded", "prometheus"] as const) {
    test.skipIf(mode === "prometheus" && !existsSync("/usr/bin/prometheus"))(
      `${mode} metering: log in, charges for the departments, close last month, its PDF equals the API`,
      async () => {
        const dataDir = mkdtempSync(join(tmpdir(), `muniops-demo-${mode}-`));
        const port = await freePort();
        const demo = await startDemo(["--port", String(port), "--data-dir", dataDir, "--metering", mode]);
        try {
          expect(demo.stdout()).toContain(`(metering: ${mode})`);
          for (const user of ["admin", "servicemanager", "controller-burgerzaken", "operator", "auditor"])
            expect(demo.stdout()).toMatch(new RegExp(`^\\s+${user}\\s`, "m"));
          const page = await login(browser, demo.url, "servicemanager");
          await expect(page.locator("h1").textContent()).resolves.toBe("Overzicht");

          // The overview's table per department: the last cell of each department row is its total so far.
          const totals = await page.locator("section[aria-labelledby=per-dept] tbody tr:has(a)").evaluateAll((rows) =>
            rows.map(
              (r) =>
                (
                  r as unknown as {
                    cells: { length: number; item(i: number): { textContent: string | null } | null };
                  }
                ).cells.item(6)?.textContent ?? "",
            ),
          );
          const charged = totals.filter((t) => Number(euros(t)) > 0);
          expect(charged.length).toBeGreaterThanOrEqual(15);
          await page.screenshot({ path: join(artifacts, `${mode}-overview.png`), fullPage: true });

          // The compliance page starts with the demo's own audit of the stack: report, BIO matrix, the step's figures.
          const compliance = (await (await page.request.get(`${demo.url}/api/v1/compliance`)).json()) as {
            stack: string | null;
            report: {
              summary: { resources: number; mandatoryFailures: number; advisoryFailures: number; waived: number };
            } | null;
            coverage: unknown[];
          };
          expect(compliance.stack).toBe("leiden-prod");
          const summary = compliance.report?.summary;
          expect(summary?.resources).toBeGreaterThan(0);
          expect(compliance.coverage.length).toBeGreaterThan(0);
          expect(demo.stderr()).toContain(
            `✔ auditing leiden-prod: ${summary?.resources ?? "?"} resources, ` +
              `${(summary?.mandatoryFailures ?? 0) + (summary?.advisoryFailures ?? 0)} findings, ` +
              `${summary?.waived ?? "?"} waived`,
          );
          const { audits } = (await (await page.request.get(`${demo.url}/api/v1/compliance/audits`)).json()) as {
            audits: { stack: string; receivedFrom: string; source: string }[];
          };
          // this start's audit, and before it a year of history: the plan audited as of the 28th of eleven months
          expect(audits.map(({ stack, receivedFrom, source }) => ({ stack, receivedFrom, source }))).toEqual(
            Array.from({ length: 12 }, () => ({
              stack: "leiden-prod",
              receivedFrom: "muniops demo",
              source: "server",
            })),
          );
          // the compliance page is by BIO2 measure, with the trend per measure from that history
          await page.goto(`${demo.url}/compliance`);
          const matrix = page.locator("section[aria-labelledby=coverage]");
          expect(await matrix.locator('th[scope=row]:text-is("8.24.04")').count()).toBe(1);
          expect(await matrix.locator('th[scope=row]:text-is("5.09.01")').count()).toBe(1);
          expect(await matrix.locator(".trend").count()).toBeGreaterThan(12 * 100);
          // The demo's own (simulated) waiver covers one finding and is always about to expire.
          expect(summary?.waived).toBe(1);
          const { waivers } = (await (await page.request.get(`${demo.url}/api/v1/compliance/waivers`)).json()) as {
            waivers: { id: string; state: string; daysLeft: number | null }[];
          };
          expect(waivers.map(({ id, state, daysLeft }) => ({ id, state, daysLeft }))).toEqual([
            { id: "WVR-DEMO-001", state: "expiring-soon", daysLeft: 20 },
            // the patch rule's waiver for the one server in breach today (demoPatches.ts), 45 days to go
            { id: "WVR-DEMO-002", state: "active", daysLeft: 45 },
          ]);

          // Operations already know the fleet's state: the simulated outages are down, everything else up.
          const operations = (await (await page.request.get(`${demo.url}/api/v1/operations/hosts`)).json()) as {
            hosts: { name: string; service: string | null; up: boolean | null; cpuBusyPercent: string | null }[];
          };
          expect(operations.hosts.filter((h) => h.up === false)).toHaveLength(3);
          expect(operations.hosts.filter((h) => h.up === true).length).toBe(operations.hosts.length - 3);
          // ... and CPU busy from the first view: embedded metering read the counters at start-up, and the
          // Prometheus backfill reaches up to now. (This machine's own agent has no backfilled history: in
          // Prometheus mode its figure follows once Prometheus has scraped it twice.)
          const measured = operations.hosts.filter(
            (h) => h.up === true && (mode === "embedded" || h.service !== "muniops-demo"),
          );
          expect(measured.filter((h) => h.cpuBusyPercent === null).map((h) => h.name)).toEqual([]);
          await page.goto(`${demo.url}/operations`);
          await page.screenshot({ path: join(artifacts, `${mode}-operations.png`), fullPage: true });

          // Close last month through the periods page, after the preview and the confirmation.
          const period = previousPeriod(currentPeriod());
          await page.goto(`${demo.url}/periods`);
          await page.getByRole("link", { name: `Maand afsluiten ${period}` }).click();
          await page.screenshot({ path: join(artifacts, `${mode}-close-preview.png`), fullPage: true });
          // The simulated fleet had outages: their hours have no data, and closing anyway must be chosen.
          const acceptGaps = page.locator("#acceptGaps");
          if ((await acceptGaps.count()) > 0) await acceptGaps.check();
          await page.getByLabel(new RegExp(`Ik bevestig dat ${period}`)).check();
          await Promise.all([
            page.waitForURL(new RegExp(`/periods\\?done=${period}`)),
            page.getByRole("button", { name: `Maand afsluiten ${period}` }).click(),
          ]);
          await expect(page.getByRole("status").textContent()).resolves.toBe(`Periode ${period} is afgesloten.`);

          // The statement PDF of a department says what the API says, to the cent.
          const api = (await (
            await page.request.get(`${demo.url}/api/v1/chargeback?period=${period}`)
          ).json()) as StatementJson;
          expect(api.status).toBe("closed");
          const burgerzaken = api.departments.find((d) => d.id === "burgerzaken");
          if (!burgerzaken) throw new Error("no burgerzaken in the chargeback");
          await page.goto(`${demo.url}/departments/burgerzaken?period=${period}`);
          await page.screenshot({ path: join(artifacts, `${mode}-department.png`), fullPage: true });
          const [download] = await Promise.all([
            page.waitForEvent("download"),
            page.getByRole("link", { name: "Download afrekening (PDF)" }).click(),
          ]);
          const pdf = join(artifacts, `${mode}-${download.suggestedFilename()}`);
          await download.saveAs(pdf);
          const fromPdf = await pdfTotals(pdf);
          const { compute, storage, licences, shared, adjustments, total } = burgerzaken;
          expect(fromPdf).toEqual({ compute, storage, licences, shared, adjustments, total });
          expect(Number(total)).toBeGreaterThan(0);
          if (mode === "prometheus") {
            // Prometheus scrapes the dashboard's own /metrics too, with the token the demo made for it.
            const promUrl = /Prometheus: (http:\/\/\S+)/.exec(demo.stdout())?.[1] ?? "";
            expect(await dashboardScrapeHealth(promUrl, 45_000)).toBe("up");
          }
          await page.context().close();
        } finally {
          demo.child.kill("SIGINT");
          const code = await demo.exited;
          rmSync(dataDir, { recursive: true, force: true });
          expect(code, demo.stderr()).toBe(0);
        }
        expect(demo.stderr()).toContain("muniops demo: stopped");
        const prometheusUrl = /Prometheus: (http:\/\/\S+)/.exec(demo.stdout())?.[1];
        if (mode === "prometheus") {
          expect(prometheusUrl).toBeDefined();
          // Ctrl-C took Prometheus down with it.
          await expect(fetch(`${prometheusUrl ?? ""}/-/ready`)).rejects.toThrow();
        }
      },
    );
  }
}, 300_000);
