// `--trust-proxy` takes a hop count or the proxies' addresses, never "trust every hop": with every hop
// trusted, a client's own X-Forwarded-For named its address and a new one per attempt dodged the
// per-address login limit. With hop count 1, the address is the one the proxy appended.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { trustProxySetting } from "../../../dashboard/server/dashboardSettings.js";
import { resolveSettings } from "../../../settings.js";
import { runCli } from "../../helpers/cli.js";
import { loginPage, startTestDashboard, type TestDashboard } from "./testServer.js";
import { started } from "../../helpers/started.js";

const settings = { trustProxy: trustProxySetting };
const fromEnv = (value: string) =>
  resolveSettings(settings, { env: { MUNIOPS_DASHBOARD_TRUST_PROXY: value }, cwd: "/nonexistent" }).trustProxy;

describe("the setting", () => {
  test("false, a hop count, or addresses and CIDRs", () => {
    expect(resolveSettings(settings, { env: {}, cwd: "/nonexistent" }).trustProxy).toBe(false);
    expect(fromEnv("false")).toBe(false);
    expect(fromEnv("1")).toBe(1);
    const addresses = ["10.0.0.5", "10.1.0.0/16", "fd00::/8", "loopback"];
    expect(fromEnv("10.0.0.5, 10.1.0.0/16,fd00::/8,loopback")).toEqual(addresses);
  });

  test.each(["true", "all", "*"])("%s (trust every hop) is refused, naming what is valid", (value) => {
    expect(() => fromEnv(value)).toThrow(
      "MUNIOPS_DASHBOARD_TRUST_PROXY: dashboard.trustProxy: trusting every proxy lets any client forge its address " +
        "(X-Forwarded-For): give false, the number of proxies in front (e.g. 1), or their addresses/CIDRs " +
        "(e.g. 10.0.0.5,10.1.0.0/16)",
    );
  });

  test.each([
    ["10.0.0.0/33", '"10.0.0.0/33" has no valid prefix length (0–32)'],
    ["proxy.example", '"proxy.example" is no IP address or CIDR'],
    ["11", "a hop count must be a whole number from 1 to 10"],
  ])("%s is refused: %s", (value, message) => {
    expect(() => fromEnv(value)).toThrow(message);
  });

  test("the CLI names the flag", async () => {
    const result = await runCli(["dashboard", "--trust-proxy", "true", "--database-url", "/nonexistent/l.db"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /--trust-proxy: dashboard\.trustProxy: trusting every proxy lets any client forge its address/,
    );
  });
});

describe("behind one proxy (--trust-proxy 1)", () => {
  let dashboard: TestDashboard;
  beforeAll(async () => {
    dashboard = await startTestDashboard({ trustProxy: 1, loginAttempts: 2 });
  }, 120_000);
  afterAll(async () => {
    await started(dashboard)?.close();
  });

  /** A wrong password for a fresh username each time (so only the address limit can apply), via the proxy. */
  let attempt = 0;
  const wrongLogin = async (forwardedFor: string): Promise<Response> => {
    const { cookie, token } = await loginPage(dashboard.url);
    attempt += 1;
    const body = new URLSearchParams({ username: `nobody-${attempt}`, password: "wrong", _csrf: token }).toString();
    const headers = { cookie, "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": forwardedFor };
    return fetch(`${dashboard.url}/login`, { method: "POST", redirect: "manual", headers, body });
  };

  test("a forged X-Forwarded-For does not dodge the per-address limit: the proxy's entry counts", async () => {
    // the client writes any address it likes; the proxy appends the one it saw (203.0.113.7)
    expect((await wrongLogin("198.51.100.1, 203.0.113.7")).status).toBe(401);
    expect((await wrongLogin("198.51.100.2, 203.0.113.7")).status).toBe(401);
    const third = await wrongLogin("198.51.100.3, 203.0.113.7");
    expect(third.status).toBe(429);
    expect(Number(third.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  test("another client behind the same proxy has its own count", async () => {
    expect((await wrongLogin("203.0.113.8")).status).toBe(401);
  });
});
