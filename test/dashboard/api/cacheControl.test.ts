// Every answer to a signed-in user carries `Cache-Control: no-store`: costs, names and CSRF tokens must
// not stay in a browser's or a proxy's cache. Over every GET route of the OpenAPI document, the pages,
// the CSV and PDF downloads, the hot routes (answered before express) and errors; static assets are the
// one thing meant to be kept.
import { describe, expect, test } from "vitest";
import { openApiDocument } from "../../../dashboard/api/openapi.js";
import { useTestDashboard } from "./testServer.js";

const t = useTestDashboard(["admin"]);

/** A value for each path parameter the API's routes take, from the seeded October 2026. */
const examples: Record<string, string> = { id: "burgerzaken", period: "2026-10", department: "burgerzaken" };

function apiGetPaths(): string[] {
  const paths = (openApiDocument() as { paths: Record<string, Record<string, unknown>> }).paths;
  return Object.entries(paths)
    .filter(([, operations]) => "get" in operations)
    .map(([path]) => `/api/v1${path.replace(/\{(\w+)\}/g, (_m, name: string) => examples[name] ?? name)}`)
    .filter((path) => path !== "/api/v1/openapi.json");
}

const withQuery: Record<string, string> = {
  "/api/v1/departments/burgerzaken/statement": "?period=2026-10",
  "/api/v1/chargeback": "?period=2026-10",
};

describe("Cache-Control: no-store on every signed-in answer", () => {
  test.each(apiGetPaths().map((path) => [path + (withQuery[path] ?? "")]))("GET %s (JSON)", async (path) => {
    const res = await t.admin.get(path);
    expect(res.status, await res.clone().text()).toBeLessThan(400);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  test.each([
    ["/api/v1/departments/burgerzaken/statement?period=2026-10&format=csv", /^text\/csv/],
    ["/api/v1/departments/burgerzaken/statement?period=2026-10&format=pdf", /^application\/pdf/],
    ["/api/v1/adjustments?format=csv", /^text\/csv/],
    ["/api/v1/compliance/waivers?format=csv", /^text\/csv/],
  ])("GET %s (a download)", async (path, type) => {
    const res = await t.admin.get(path);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(type);
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  const pages = ["/", "/departments/burgerzaken", "/periods", "/licences", "/rates", "/operations"];
  test.each([...pages, "/compliance", "/audit-log"])("GET %s (a page)", async (path) => {
    const res = await t.admin.get(path, { headers: { accept: "text/html" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  test("errors and refusals to a signed-in user: no-store too", async () => {
    for (const path of ["/api/v1/no-such-route", "/api/v1/chargeback?period=13-2026", "/no-such-page"]) {
      const res = await t.admin.get(path);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.headers.get("cache-control"), path).toBe("no-store");
    }
    const post = await t.admin.post("/api/v1/adjustments", { period: "nope" });
    expect(post.status).toBe(400);
    expect(post.headers.get("cache-control")).toBe("no-store");
  });

  test("the login page (it carries a CSRF token) is not stored either; static assets are kept", async () => {
    expect((await fetch(`${t.dashboard.url}/login`)).headers.get("cache-control")).toBe("no-store");
    const asset = await t.admin.get("/assets/style.css");
    expect(asset.headers.get("cache-control")).toMatch(/max-age=3600/);
  });
});
