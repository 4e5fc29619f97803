// The benchmarked routes (the overview page and /api/v1/chargeback) answer from a short path: helmet's
// headers replayed from one recorded run, and, for an ordinary signed-in GET, an answer before express
// (hotRoutes.ts). These tests hold that path to what the long one does: helmet's own headers, byte for
// byte (names as sent, not just values) on every kind of answer, the same refusals, and for the requests
// the hot path answers, the same status, headers and body as express gives with the hot path switched off.
import { createServer, request, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import helmet from "helmet";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { helmetOptions } from "../../../dashboard/http/security.js";
import { createApp } from "../../../dashboard/server/server.js";
import { withHotRoutes } from "../../../dashboard/server/hotRoutes.js";
import { clientFor, fixedNow, login, startTestDashboard, type Client, type TestDashboard } from "./testServer.js";
import { started } from "../../helpers/started.js";

interface RawAnswer {
  status: number;
  /** Header name (as sent) and value pairs, in order. */
  raw: [string, string][];
  headers: IncomingHttpHeaders;
  body: string;
}

/** A request through node:http, which keeps the header names as the server wrote them (fetch lowercases them). */
function rawRequest(url: string, init: { method?: string; headers?: Record<string, string> } = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? "GET", headers: init.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const raw: [string, string][] = [];
        for (let i = 0; i + 1 < res.rawHeaders.length; i += 2)
          raw.push([res.rawHeaders[i] ?? "", res.rawHeaders[i + 1] ?? ""]);
        resolve({
          status: res.statusCode ?? 0,
          raw,
          headers: res.headers,
          body: Buffer.concat(chunks).toString("utf8"),
        });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

/**
 * The headers helmet itself adds with the dashboard's options: an express app with helmet, minus the same app without
 * it.
 */
async function helmetsOwnHeaders(): Promise<[string, string][]> {
  const answer = async (withHelmet: boolean) => {
    const app = express();
    app.disable("x-powered-by");
    if (withHelmet) app.use(helmet(helmetOptions));
    app.get("/", (_req, res) => {
      res.send("ok");
    });
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    try {
      return await rawRequest(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    } finally {
      server.close();
    }
  };
  const [plain, helmeted] = [await answer(false), await answer(true)];
  const plainNames = new Set(plain.raw.map(([name]) => name.toLowerCase()));
  return helmeted.raw.filter(([name]) => !plainNames.has(name.toLowerCase()));
}

let dashboard: TestDashboard;
let manager: Client;
let operator: Client;
let controller: Client;
let helmetHeaders: [string, string][];

beforeAll(async () => {
  dashboard = await startTestDashboard();
  manager = await login(dashboard.url, "manager");
  operator = await login(dashboard.url, "operator");
  controller = await login(dashboard.url, "ctl-bz");
  helmetHeaders = await helmetsOwnHeaders();
}, 120_000);

afterAll(async () => {
  await started(dashboard)?.close();
});

const chargeback = "/api/v1/chargeback?period=2026-10";

describe("helmet's headers on the hot routes", () => {
  test("helmet sets the headers this test compares (a CSP without inline script among them)", () => {
    expect(helmetHeaders.length).toBeGreaterThanOrEqual(10);
    expect(helmetHeaders).toContainEqual([
      "Content-Security-Policy",
      expect.stringMatching(/script-src 'self'/) as string,
    ]);
    expect(helmetHeaders).toContainEqual(["X-Frame-Options", "SAMEORIGIN"]);
  });

  test.each([
    ["the overview page", "/", "manager", undefined, 200],
    ["the chargeback API", chargeback, "manager", undefined, 200],
    ["the chargeback API, HEAD", chargeback, "manager", "HEAD", 200],
    ["the overview, unauthenticated (sent to the login page)", "/", "nobody", undefined, 303],
    ["the chargeback API, unauthenticated", chargeback, "nobody", undefined, 401],
    ["the chargeback API, forbidden to an operator", chargeback, "operator", undefined, 403],
    ["an unknown page", "/no-such-page", "manager", undefined, 404],
    ["a static asset", "/assets/style.css", "nobody", undefined, 200],
  ] as const)("%s: every helmet header, byte for byte", async (_what, path, who, method, status) => {
    const cookie = who === "manager" ? manager.cookie : who === "operator" ? operator.cookie : "";
    const res = await rawRequest(`${dashboard.url}${path}`, {
      ...(method ? { method } : {}),
      headers: cookie ? { cookie } : {},
    });
    expect(res.status).toBe(status);
    for (const pair of helmetHeaders) expect(res.raw).toContainEqual(pair);
    expect(res.headers["x-powered-by"]).toBeUndefined();
  });

  test("a 304 revalidation of the chargeback document carries them too, and no body", async () => {
    const first = await rawRequest(`${dashboard.url}${chargeback}`, { headers: { cookie: manager.cookie } });
    const etag = first.headers.etag ?? "";
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await rawRequest(`${dashboard.url}${chargeback}`, {
      headers: { cookie: manager.cookie, "if-none-match": etag },
    });
    expect(again.status).toBe(304);
    expect(again.body).toBe("");
    expect(again.headers["content-type"]).toBeUndefined();
    for (const pair of helmetHeaders) expect(again.raw).toContainEqual(pair);
  });
});

describe("the hot routes' answers", () => {
  test(
    "the chargeback document: type, exact length, never " + "stored; HEAD gets the same headers and no body",
    async () => {
      const res = await rawRequest(`${dashboard.url}${chargeback}`, { headers: { cookie: manager.cookie } });
      expect(res.headers["content-type"]).toBe("application/json; charset=utf-8");
      expect(Number(res.headers["content-length"])).toBe(Buffer.byteLength(res.body));
      expect(res.headers["cache-control"]).toBe("no-store");
      expect((JSON.parse(res.body) as { period: string }).period).toBe("2026-10");
      const head = await rawRequest(`${dashboard.url}${chargeback}`, {
        method: "HEAD",
        headers: { cookie: manager.cookie },
      });
      expect(head.body).toBe("");
      expect(head.headers["content-length"]).toBe(res.headers["content-length"]);
      expect(head.headers.etag).toBe(res.headers.etag);
    },
  );

  test("the overview page: HTML of the stated length, never stored", async () => {
    const res = await rawRequest(`${dashboard.url}/`, { headers: { cookie: manager.cookie } });
    expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(Number(res.headers["content-length"])).toBe(Buffer.byteLength(res.body));
    expect(res.headers["cache-control"]).toBe("no-store");
    expect(res.body).toMatch(/<html/);
  });

  test("refusals: no session → the login page or 401, a forged cookie → 401, an operator → no money", async () => {
    const page = await fetch(`${dashboard.url}/`, { redirect: "manual" });
    expect(page.status).toBe(303);
    expect(page.headers.get("location")).toBe("/login?return=%2F");
    expect((await fetch(`${dashboard.url}/`, { headers: { accept: "application/json" } })).status).toBe(401);
    expect((await fetch(`${dashboard.url}${chargeback}`)).status).toBe(401);
    expect(
      (await fetch(`${dashboard.url}${chargeback}`, { headers: { cookie: "muniops_session=forged-token-value" } }))
        .status,
    ).toBe(401);
    expect((await operator.get(chargeback)).status).toBe(403);
    // the page sends an operator, who may not see costs, to the operations page instead
    const operatorsPage = await operator.get("/");
    expect(operatorsPage.status).toBe(303);
    expect(operatorsPage.headers.get("location")).toBe("/operations");
  });

  test("assets keep their own caching for a signed-in user too (the pages' no-store is not theirs)", async () => {
    expect((await manager.get("/assets/style.css")).headers.get("cache-control")).toBe("public, max-age=3600");
    expect((await manager.get("/assets/chart.umd.min.js")).headers.get("cache-control")).toBe("public, max-age=86400");
    expect((await manager.get("/operations")).headers.get("cache-control")).toBe("no-store");
  });

  test("a department controller gets only their own department's costs", async () => {
    const res = await controller.get(chargeback);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { scope: string; departments: { id: string }[] };
    expect(doc.scope).toBe("departments");
    expect(doc.departments.map((d) => d.id)).toEqual(["burgerzaken"]);
  });

  test("a state-changing request without the session's CSRF token is refused, with a wrong one too", async () => {
    expect((await manager.post("/api/v1/periods/2026-10/close", { confirm: true }, { csrf: null })).status).toBe(403);
    expect(
      (
        await manager.post(
          "/api/v1/periods/2026-10/close",
          { confirm: true },
          { csrf: "x".repeat(manager.csrf.length) },
        )
      ).status,
    ).toBe(403);
    expect((await manager.get("/api/v1/periods")).status).toBe(200);
    const periods = (await (await manager.get("/api/v1/periods")).json()) as {
      periods: { period: string; status: string }[];
    };
    expect(periods.periods.find((p) => p.period === "2026-10")?.status).not.toBe("closed");
  });
});

describe("the hot path answers ordinary requests as express does", () => {
  // Over the same ledger and service: express alone, and the hot path in front of an express that counts
  // what is handed to it, so a test knows which path answered.
  let expressOnly: string;
  let hotFirst: string;
  let handedOver: string[];
  const servers: Server[] = [];

  const listen = async (server: Server): Promise<string> => {
    servers.push(server);
    server.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };

  beforeAll(async () => {
    const options = {
      sessionTtlMs: 3_600_000,
      slaTarget: 99.8,
      trustProxy: false as const,
      loginAttempts: 1000,
      now: () => fixedNow,
    };
    const app = createApp(dashboard.ledger, dashboard.service, options);
    handedOver = [];
    expressOnly = await listen(createServer(app));
    hotFirst = await listen(
      createServer(
        withHotRoutes(dashboard.ledger, dashboard.service, {}, (req, res) => {
          handedOver.push(`${req.method ?? ""} ${req.url ?? ""}`);
          app(req, res);
        }),
      ),
    );
    // each server fills the session cache the hot path reads (a miss goes to express, which looks it up)
    for (const client of [manager, controller]) await clientFor(hotFirst, client.cookie, client.csrf).get("/api/v1/me");
  });

  afterAll(() => {
    for (const server of servers) server.close();
  });

  const withoutDate = (raw: [string, string][]): [string, string][] =>
    raw.filter(([name]) => name.toLowerCase() !== "date");

  test.each([
    ["the overview page, Dutch", "/", "manager", ""],
    ["the overview page, English", "/", "manager", "; muniops_lang=en"],
    ["a controller's overview", "/", "controller", ""],
    ["the chargeback document", chargeback, "manager", ""],
    ["the chargeback document, ?format=json", `${chargeback}&format=json`, "manager", ""],
    ["the current month for a controller", "/api/v1/chargeback?period=2026-11", "controller", ""],
  ] as const)(
    "%s: same status, headers in the same order and body; express not called",
    async (_what, path, who, extraCookie) => {
      const cookie = (who === "manager" ? manager : controller).cookie + extraCookie;
      handedOver.length = 0;
      const hot = await rawRequest(`${hotFirst}${path}`, { headers: { cookie } });
      expect(handedOver).toEqual([]);
      const plain = await rawRequest(`${expressOnly}${path}`, { headers: { cookie } });
      expect(plain.status).toBe(200);
      expect(hot.status).toBe(plain.status);
      expect(withoutDate(hot.raw)).toEqual(withoutDate(plain.raw));
      expect(hot.body).toBe(plain.body);
    },
  );

  test("a failing ledger check is express's to answer (a 500 page), and the server keeps serving", async () => {
    const service = dashboard.service;
    const original = service.syncWithLedger.bind(service);
    service.syncWithLedger = () => {
      throw new Error("SQLITE_IOERR: disk I/O error");
    };
    try {
      handedOver.length = 0;
      const failed = await rawRequest(`${hotFirst}${chargeback}`, { headers: { cookie: manager.cookie } });
      expect(failed.status).toBe(500);
      expect(failed.body).not.toContain("SQLITE_IOERR");
      expect(handedOver).toEqual([`GET ${chargeback}`]);
    } finally {
      service.syncWithLedger = original;
    }
    expect((await rawRequest(`${hotFirst}${chargeback}`, { headers: { cookie: manager.cookie } })).status).toBe(200);
  });

  test.each([
    ["HEAD", chargeback, { method: "HEAD" }],
    ["a revalidation", chargeback, { headers: { "if-none-match": '"x"' } }],
    ["a CSV export", `${chargeback}&format=csv`, {}],
    ["a bad period (400 with field errors)", "/api/v1/chargeback?period=2026-13", {}],
    ["a query on the page", "/?lang=en", {}],
    ["an unknown session", "/", { cookie: "muniops_session=forged-token-value" }],
    ["no session", chargeback, { cookie: "" }],
    ["an operator", chargeback, { cookie: "operator" }],
  ] as const)("%s goes to express, and gets express's answer", async (_what, path, init) => {
    const raw = init as { method?: string; headers?: Record<string, string>; cookie?: string };
    const cookie = raw.cookie === undefined ? manager.cookie : raw.cookie === "operator" ? operator.cookie : raw.cookie;
    const request = {
      ...(raw.method ? { method: raw.method } : {}),
      headers: { ...(cookie ? { cookie } : {}), ...raw.headers },
    };
    handedOver.length = 0;
    const hot = await rawRequest(`${hotFirst}${path}`, request);
    expect(handedOver).toEqual([`${raw.method ?? "GET"} ${path}`]);
    const plain = await rawRequest(`${expressOnly}${path}`, request);
    expect(hot.status).toBe(plain.status);
    expect(withoutDate(hot.raw)).toEqual(withoutDate(plain.raw));
    expect(hot.body).toBe(plain.body);
  });
});
