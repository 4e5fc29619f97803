// A failing or hanging collector costs only its own series: the scrape still answers 200 within the
// timeout, reports success 0 for it, and does not start a hung collector again while it is still running.
import { afterEach, describe, expect, it } from "vitest";
import { gauge } from "../../agents/exposition.js";
import { Scraper } from "../../agents/scrape.js";
import { startServer, type AgentServer } from "../../agents/server.js";
import { parseSamples } from "./scrapeHelpers.js";

describe("collector isolation", () => {
  let server: AgentServer | undefined;
  let releaseHang: (() => void) | undefined;
  afterEach(async () => {
    releaseHang?.();
    await server?.close();
  });

  it("answers 200 within the timeout with success 0 for a failing and a hanging collector", async () => {
    let hangCalls = 0;
    const scraper = new Scraper(
      [
        {
          id: "healthy",
          collector: {
            update: () =>
              Promise.resolve([gauge("muniops_test_healthy", "A healthy collector's metric.", [{ value: 42 }])]),
          },
        },
        { id: "failing", collector: { update: () => Promise.reject(new Error("boom")) } },
        {
          id: "hanging",
          collector: {
            update: () => {
              hangCalls++;
              return new Promise((resolve) => {
                releaseHang = () => {
                  resolve([]);
                };
              });
            },
          },
        },
      ],
      { timeoutMs: 300 },
    );
    server = await startServer({
      address: { host: "127.0.0.1", port: 0 },
      web: { headers: {} },
      scraper,
      version: "test",
      listenText: "127.0.0.1:0",
    });

    for (let round = 0; round < 3; round++) {
      const started = performance.now();
      const response = await fetch(`${server.url}/metrics`);
      const elapsed = performance.now() - started;
      expect(response.status).toBe(200);
      // The first scrape waits for the timeout; later ones skip the still-hung collector at once.
      expect(elapsed).toBeLessThan(round === 0 ? 1500 : 250);
      const samples = parseSamples(await response.text());
      const success = (id: string): number | undefined =>
        samples.find((s) => s.name === "muniops_scrape_collector_success" && s.labels.collector === id)?.value;
      expect(success("healthy")).toBe(1);
      expect(success("failing")).toBe(0);
      expect(success("hanging")).toBe(0);
      expect(samples.find((s) => s.name === "muniops_test_healthy")?.value).toBe(42);
    }
    expect(hangCalls).toBe(1);

    // Once the hung call returns, the collector runs again.
    releaseHang?.();
    await new Promise((resolve) => setTimeout(resolve, 10));
    await fetch(`${server.url}/metrics`);
    expect(hangCalls).toBe(2);
  });
});
