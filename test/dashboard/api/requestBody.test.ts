// Request bodies are read only once the request may send one: a signed-in user's, or the login form.
// Anyone else's body stays unread, so hostile bytes (gzip bombs, megabytes of nested brackets) cost the
// server nothing and /healthz keeps answering at once. Signed-in bodies are held to limits counted after
// decompression, an inflation ratio, a nesting depth, and keys given once.
import { request } from "node:http";
import { gzipSync } from "node:zlib";
import { describe, expect, test } from "vitest";
import { useTestDashboard, type Client } from "./testServer.js";

const t = useTestDashboard(["auditor", "manager"]);

/** A gzip body of nested brackets: under 10 KB on the wire, 8 MB once inflated (the attack). */
const bracketBomb = gzipSync(Buffer.from(`${"[".repeat(4 * 1024 * 1024)}${"]".repeat(4 * 1024 * 1024)}`));
/** Plain nested brackets, no compression: a megabyte that JSON.parse would build into a million arrays. */
const deepNesting = Buffer.from(`${"[".repeat(512 * 1024)}${"]".repeat(512 * 1024)}`);

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  ms: number;
}

/** A POST through node:http, which (unlike fetch) can declare a length and send less, or send gzip as is. */
function send(
  path: string,
  body: Buffer,
  headers: Record<string, string>,
  options: { declaredLength?: number } = {},
): Promise<Answer> {
  const started = performance.now();
  const length = String(options.declaredLength ?? body.length);
  const sent = { "content-length": length, accept: "application/json", ...headers };
  return new Promise((resolve, reject) => {
    const req = request(`${t.dashboard.url}${path}`, { method: "POST", headers: sent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, ms: performance.now() - started });
        req.destroy();
      });
    });
    // the server may answer and close before it has taken every byte: that is the point
    req.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "ECONNRESET" && error.code !== "EPIPE") reject(error);
    });
    req.write(body);
    if (options.declaredLength === undefined) req.end();
  });
}

const json = { "content-type": "application/json" };
const gzipJson = { ...json, "content-encoding": "gzip" };
const signedIn = (client: Client) => ({ cookie: client.cookie, "x-csrf-token": client.csrf });

/** /healthz's latency, sampled every 5 ms until `work` settles. */
async function healthzWhile(work: Promise<unknown>): Promise<number[]> {
  const latencies: number[] = [];
  const progress = { done: false };
  const finished = work.finally(() => {
    progress.done = true;
  });
  while (!progress.done) {
    const started = performance.now();
    const res = await fetch(`${t.dashboard.url}/healthz`);
    expect(await res.text()).toBe("ok\n");
    latencies.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await finished; // the work's failure, if any, is the test's
  return latencies;
}

describe("unauthenticated bodies are never read", () => {
  test(
    "gzip bombs and deep nesting on the upload paths (any " + "case, any sub-path): 401, /healthz under 100 ms",
    async () => {
      const paths = [
        "/api/v1/compliance/audits",
        "/API/V1/Compliance/Audits",
        "/api/v1/compliance/audits/x/y",
        "/compliance/audits",
        "/api/v1/adjustments",
      ];
      const wave = () => paths.flatMap((path) => [send(path, bracketBomb, gzipJson), send(path, deepNesting, json)]);
      // waves of 20 hostile requests for a second (one of them stalled today's server for 2.3 s)
      const answers: Answer[] = [];
      const waves = async (): Promise<void> => {
        const started = performance.now();
        while (performance.now() - started < 1000) {
          answers.push(...(await Promise.all(wave())));
        }
      };
      const latencies = await healthzWhile(waves());
      for (const answer of answers) expect(answer.status).toBe(401);
      expect(latencies.length).toBeGreaterThan(0);
      expect(Math.max(...latencies)).toBeLessThan(100);
    },
  );

  test("a body that is never sent in full is not waited for: 401 at once", async () => {
    const answer = await send("/api/v1/adjustments", Buffer.from('{"period":'), json, { declaredLength: 60_000 });
    expect(answer.status).toBe(401);
    expect(answer.ms).toBeLessThan(1000);
  });

  test(
    "a body no parser could read (corrupt gzip, invalid " + "JSON, over the limit) gets 401, not 400 or 413",
    async () => {
      expect((await send("/api/v1/adjustments", Buffer.from("not gzip at all"), gzipJson)).status).toBe(401);
      expect((await send("/api/v1/adjustments", Buffer.from('{"a":'), json)).status).toBe(401);
      const tooLarge = Buffer.alloc(9 * 1024 * 1024, 0x20);
      expect((await send("/api/v1/compliance/audits", tooLarge, json)).status).toBe(401);
    },
  );

  test("the login form is the one body anyone may send, small", async () => {
    const form = { "content-type": "application/x-www-form-urlencoded" };
    const big = await send("/login", Buffer.from(`username=x&password=${"p".repeat(20_000)}`), form);
    expect(big.status).toBe(413);
    // read, then refused by the login CSRF check (no login page was fetched): the body was parsed
    expect((await send("/login", Buffer.from("username=x&password=y&_csrf=z"), form)).status).toBe(403);
  });
});

describe("signed-in bodies: limits after decompression, depth, duplicate keys", () => {
  test("a gzip bomb from a signed-in auditor is refused by its inflation ratio, fast, long before 8 MB", async () => {
    const answer = await send("/api/v1/compliance/audits", bracketBomb, { ...gzipJson, ...signedIn(t.auditor) });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({
      error: "body-compression-ratio",
      message: expect.stringMatching(/inflates more than 100 times/) as string,
    });
    expect(answer.headers.connection).toBe("close");
  });

  test("an honest gzip body is inflated and read", async () => {
    const adjustment = { period: "2026-11", department: "belastingen", amount: "1.00", reason: "gzip body" };
    const body = gzipSync(JSON.stringify(adjustment));
    const answer = await send("/api/v1/adjustments", body, { ...gzipJson, ...signedIn(t.manager) });
    expect(answer.status, answer.body).toBe(201);
  });

  test("deep nesting is refused before it is built, naming the limit", async () => {
    const started = performance.now();
    const res = await t.auditor.post("/api/v1/compliance/audits", deepNesting.toString());
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toBe("JSON nested deeper than 32 levels");
    expect(performance.now() - started).toBeLessThan(1000);
  });

  test("a duplicate key is refused with the key and where it is", async () => {
    const twice = '{"period":"2026-11","department":"belastingen","amount":"1.00","reason":"x","amount":"999.00"}';
    const res = await t.manager.post("/api/v1/adjustments", twice);
    expect(res.status).toBe(400);
    const error = (await res.json()) as { error: string; message: string; fields: Record<string, string[]> };
    expect(error.error).toBe("duplicate-key");
    expect(error.message).toBe('duplicate key "amount" at body.amount: give each key once');
    const nested = await t.manager.post("/api/v1/adjustments", '{"a":[{"b":1},{"b":2,"\\u0062":3}]}');
    const message = ((await nested.json()) as { message: string }).message;
    expect(message).toBe('duplicate key "b" at body.a.1.b: give each key once');
  });

  test("the large limit is the upload's exact path only: any other body over 64 KiB is refused", async () => {
    const big = { period: "2026-11", department: "belastingen", amount: "1.00", reason: "x".repeat(70_000) };
    const res = await t.manager.post("/api/v1/adjustments", big);
    expect(res.status).toBe(413);
    const message = ((await res.json()) as { message: string }).message;
    expect(message).toBe("request body larger than 64 KiB (counted after decompression)");
    for (const path of ["/API/V1/compliance/audits", "/api/v1/compliance/Audits", "/api/v1/compliance/audits/"]) {
      expect((await t.auditor.post(path, JSON.stringify({ findings: "x".repeat(100_000) }))).status, path).toBe(413);
    }
  });

  test("forms still carry their CSRF token in the body", async () => {
    const adjustment = { period: "2026-11", department: "belastingen", amount: "1.00", reason: "form" };
    const withToken = await t.manager.post("/adjustments", adjustment, { form: true });
    expect(withToken.status).not.toBe(403);
    const without = await t.manager.post("/adjustments", adjustment, { form: true, csrf: null });
    expect(without.status).toBe(403);
  });
});
