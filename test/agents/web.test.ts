// --web.config.file: TLS and basic auth in the exporter-toolkit format, and its errors.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import bcrypt from "bcryptjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAgent, type RunningAgent } from "../../agents/agent.js";
import { readWebConfig } from "../../agents/webConfig.js";
import { started } from "../helpers/started.js";

const dir = mkdtempSync(join(tmpdir(), "muniops-web-"));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function get(url: string, ca: Buffer, auth?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = auth
      ? { Authorization: `Basic ${Buffer.from(auth).toString("base64")}` }
      : {};
    const req = request(url, { ca, headers }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => {
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on("error", reject);
    req.end();
  });
}

describe("TLS and basic auth", () => {
  let agent: RunningAgent;
  let ca: Buffer;
  beforeAll(async () => {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        join(dir, "agent.key"),
        "-out",
        join(dir, "agent.crt"),
        "-days",
        "1",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
      ],
      { stdio: "ignore" },
    );
    ca = readFileSync(join(dir, "agent.crt"));
    // htpasswd writes $2y$ hashes; exporter-toolkit accepts them, so must we.
    const hash = bcrypt.hashSync("s3cret-scrape", 6).replace(/^\$2b\$/, "$2y$");
    writeFileSync(
      join(dir, "web.yml"),
      `tls_server_config:\n  cert_file: agent.crt\n  key_file: agent.key\nbasic_auth_users:\n  prometheus: ${hash}\n`,
    );
    agent = await startAgent({
      listenAddress: "127.0.0.1:0",
      webConfigFile: join(dir, "web.yml"),
      collectors: ["memory"],
      timeoutSeconds: 5,
    });
  });
  afterAll(async () => {
    await started(agent)?.close();
  });

  it("serves /metrics over HTTPS to the right user and password", async () => {
    expect(agent.url).toMatch(/^https:/);
    const response = await get(`${agent.url}/metrics`, ca, "prometheus:s3cret-scrape");
    expect(response.status).toBe(200);
    expect(response.body).toContain("muniops_memory_total_bytes ");
  });

  it("answers 401 to a wrong password, an unknown user and no credentials", async () => {
    expect((await get(`${agent.url}/metrics`, ca, "prometheus:wrong")).status).toBe(401);
    expect((await get(`${agent.url}/metrics`, ca, "mallory:s3cret-scrape")).status).toBe(401);
    expect((await get(`${agent.url}/metrics`, ca)).status).toBe(401);
    // A cached wrong verdict must not turn into a right one, nor the reverse.
    expect((await get(`${agent.url}/metrics`, ca, "prometheus:wrong")).status).toBe(401);
    expect((await get(`${agent.url}/metrics`, ca, "prometheus:s3cret-scrape")).status).toBe(200);
  });

  it("refuses plain HTTP on the TLS port", async () => {
    await expect(fetch(`${agent.url.replace("https", "http")}/metrics`)).rejects.toThrow();
  });
});

describe("web config errors", () => {
  const write = (name: string, text: string): string => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  it("rejects unknown keys, plain passwords and unreadable certificates with the file and key named", () => {
    expect(() => readWebConfig(write("unknown.yml", "tls_config: {}\n"))).toThrow(
      /--web\.config\.file .*unknown\.yml: .*tls_config/,
    );
    expect(() => readWebConfig(write("plain.yml", "basic_auth_users:\n  prometheus: hunter2\n"))).toThrow(
      /basic_auth_users\.prometheus: must be a bcrypt hash/,
    );
    expect(() =>
      readWebConfig(write("nocert.yml", "tls_server_config:\n  cert_file: missing.crt\n  key_file: missing.key\n")),
    ).toThrow(/tls_server_config\.cert_file: couldn't read .*missing\.crt: ENOENT/);
    expect(() => readWebConfig(join(dir, "does-not-exist.yml"))).toThrow(
      /--web\.config\.file .*does-not-exist\.yml: ENOENT/,
    );
  });
});
