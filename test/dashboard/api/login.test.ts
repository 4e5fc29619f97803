// Login under attack: wrong passwords slow the next attempts down (429 with Retry-After, a wait of
// seconds that grows) instead of locking the account for 15 minutes, a parallel burst cannot get past
// the free attempts, and every refused login is logged with the username and the address, never the
// password.
import { afterEach, describe, expect, test, vi } from "vitest";
import { logger } from "../../../logger.js";
import { login, loginPage, password, useTestDashboard } from "./testServer.js";

// behind one proxy, so that each test's attacker has an address of its own (X-Forwarded-For)
const t = useTestDashboard([], { loginAttempts: 3, trustProxy: 1 });

async function tryLoginFrom(address: string, username: string, pass: string): Promise<Response> {
  const { cookie, token } = await loginPage(t.dashboard.url);
  const headers = { cookie, "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": address };
  const body = new URLSearchParams({ username, password: pass, _csrf: token }).toString();
  return fetch(`${t.dashboard.url}/login`, { method: "POST", redirect: "manual", headers, body });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("login throttling", () => {
  test("a stranger's wrong admin passwords make the admin wait about a second, not 15 minutes", async () => {
    for (let i = 0; i < 3; i++) expect((await tryLoginFrom("198.51.100.1", "admin", `wrong ${i}`)).status).toBe(401);
    // the wait is the account's, from any address: the admin's own is refused for now
    const refused = await tryLoginFrom("192.0.2.10", "admin", password);
    expect(refused.status).toBe(429);
    const wait = Number(refused.headers.get("retry-after"));
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(2);
    // the refusal during the wait checked no password: the right one is refused too, and not counted
    await new Promise((resolve) => setTimeout(resolve, wait * 1000 + 100));
    const client = await login(t.dashboard.url, "admin"); // from 127.0.0.1
    expect((await client.get("/api/v1/me")).status).toBe(200);
  });

  test("a parallel burst of guesses gets no more than the free attempts", async () => {
    const guesses = Array.from({ length: 12 }, (_, i) => tryLoginFrom("198.51.100.2", "auditor", `guess ${i}`));
    const answers = await Promise.all(guesses);
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(3);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(9);
  });

  test("a failed login is logged with the username and the address, never the password", async () => {
    const warn = vi.spyOn(logger(), "warn");
    expect((await tryLoginFrom("198.51.100.3", "manager", "hunter2-not-it")).status).toBe(401);
    expect((await tryLoginFrom("198.51.100.3", "no-such-user", "hunter3-not-it")).status).toBe(401);
    const logged = warn.mock.calls.map(([fields, message]) => ({ fields, message }));
    const address = "198.51.100.3";
    const failed = (username: string, reason: string) => ({
      fields: { username, address, reason },
      message: "login failed",
    });
    expect(logged).toContainEqual(failed("manager", "wrong password"));
    expect(logged).toContainEqual(failed("no-such-user", "unknown user"));
    expect(JSON.stringify(warn.mock.calls)).not.toMatch(/hunter/);
  });
});
