// --web.max-requests: like node_exporter's, at most that many /metrics requests are served at once and
// the rest are answered 503 at once; when the slow ones end, scrapes are served again.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gauge, type MetricFamily } from "../../agents/exposition.js";
import { parseListenAddress, startServer, type AgentServer } from "../../agents/server.js";
import { runCli } from "../helpers/cli.js";
import { started } from "../helpers/started.js";

describe("--web.max-requests", () => {
  let server: AgentServer;
  let release: () => void = () => undefined;
  let gate = Promise.resolve();
  beforeAll(async () => {
    // Every scrape waits until the test opens the gate, so requests stay in flight.
    const scraper = {
      async scrape(): Promise<MetricFamily[]> {
        await gate;
        return [gauge("muniops_test", "A test series.", [{ value: 1 }])];
      },
    };
    const address = parseListenAddress("127.0.0.1:0");
    const web = { headers: {} };
    server = await startServer({ address, web, scraper, version: "test", listenText: "127.0.0.1:0", maxRequests: 2 });
  });
  afterAll(async () => {
    release();
    await started(server)?.close();
  });

  it("answers 503 beyond the limit while the others are served, then serves again", async () => {
    gate = new Promise((resolve) => (release = resolve));
    const held = [fetch(`${server.url}/metrics`), fetch(`${server.url}/metrics`)];
    await new Promise((resolve) => setTimeout(resolve, 200));
    const refused = await fetch(`${server.url}/metrics`);
    expect(refused.status).toBe(503);
    expect(await refused.text()).toBe("Limit of concurrent requests reached (2), try again later.\n");
    // Other endpoints are not limited.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    release();
    for (const response of await Promise.all(held)) expect(response.status).toBe(200);
    expect((await fetch(`${server.url}/metrics`)).status).toBe(200);
  });

  it("rejects a negative limit naming the flag", async () => {
    const result = await runCli(["agent", "--web.max-requests", "-1", "--web.listen-address", "127.0.0.1:0"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--web.max-requests");
  });
});
