// known_hosts semantics, checked against OpenSSH's own tools: ssh-keygen writes the hashed entries and
// the fingerprints we compare with, and ssh-keygen -F must find the entries we write.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  fingerprintOf,
  hostFieldMatches,
  KnownHostsFile,
  keyTypeOf,
  knownHostsName,
  parseKnownHosts,
  verifyHostKey,
} from "../../../agents/rollout/knownHosts.js";
import { hostKeyMessage } from "../../../agents/rollout/sshConnection.js";
import { fingerprintFile, keygen } from "./sshd.js";

const run = promisify(execFile);
let dir: string;
let keyA: { line: string; blob: Buffer; fingerprint: string };
let keyB: { line: string; blob: Buffer; fingerprint: string };

async function makeKey(name: string, type: string): Promise<typeof keyA> {
  const line = await keygen(join(dir, name), type);
  return {
    line,
    blob: Buffer.from(line.split(" ")[1]!, "base64"),
    fingerprint: await fingerprintFile(join(dir, `${name}.pub`)),
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "muniops-kh-"));
  keyA = await makeKey("a", "ed25519");
  keyB = await makeKey("b", "ecdsa");
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("fingerprints and key types", () => {
  it("computes OpenSSH's SHA256 fingerprint", () => {
    expect(fingerprintOf(keyA.blob)).toBe(keyA.fingerprint);
    expect(fingerprintOf(keyB.blob)).toBe(keyB.fingerprint);
  });
  it("reads the key type from the blob", () => {
    expect(keyTypeOf(keyA.blob)).toBe("ssh-ed25519");
    expect(keyTypeOf(keyB.blob)).toBe("ecdsa-sha2-nistp256");
  });
  it("names non-22 ports in brackets", () => {
    expect(knownHostsName("10.0.0.1", 22)).toBe("10.0.0.1");
    expect(knownHostsName("10.0.0.1", 2222)).toBe("[10.0.0.1]:2222");
  });
});

describe("matching", () => {
  it("matches entries hashed by ssh-keygen -H, for plain and [host]:port names", async () => {
    const file = join(dir, "hashed");
    const [type, b64] = keyA.line.split(" ");
    writeFileSync(file, `10.20.1.4 ${type} ${b64}\n[10.20.1.5]:2222 ${type} ${b64}\n`);
    await run("ssh-keygen", ["-H", "-f", file]);
    const entries = parseKnownHosts(readFileSync(file, "utf8"));
    expect(entries.every((e) => e.hosts.startsWith("|1|"))).toBe(true);
    expect(verifyHostKey(entries, "10.20.1.4", keyA.blob).status).toBe("known");
    expect(verifyHostKey(entries, "[10.20.1.5]:2222", keyA.blob).status).toBe("known");
    expect(verifyHostKey(entries, "10.20.1.5", keyA.blob).status).toBe("unknown");
  });

  it("handles comma lists, wildcards and negation", () => {
    expect(hostFieldMatches("bz-app-01,10.20.1.4", "10.20.1.4")).toBe(true);
    expect(hostFieldMatches("10.20.1.*,!10.20.1.9", "10.20.1.4")).toBe(true);
    expect(hostFieldMatches("10.20.1.*,!10.20.1.9", "10.20.1.9")).toBe(false);
    expect(hostFieldMatches("10.20.1.?", "10.20.1.44")).toBe(false);
  });

  it("reports a changed key with both fingerprints, and honours @revoked", () => {
    const [typeA, b64A] = keyA.line.split(" ");
    const entries = parseKnownHosts(`# comment\n\n[127.0.0.1]:2222 ${typeA} ${b64A}\n`);
    const [typeB, b64B] = keyB.line.split(" ");
    const changed = verifyHostKey(entries, "[127.0.0.1]:2222", keyB.blob);
    expect(changed).toEqual({
      status: "changed",
      fingerprint: keyB.fingerprint,
      knownFingerprints: [keyA.fingerprint],
      line: 3,
    });
    const revoked = parseKnownHosts(`@revoked * ${typeB} ${b64B}\n[127.0.0.1]:2222 ${typeB} ${b64B}\n`);
    expect(verifyHostKey(revoked, "[127.0.0.1]:2222", keyB.blob).status).toBe("revoked");
  });

  it("says plainly that a host known only through a @cert-authority can't be checked", () => {
    const [typeA, b64A] = keyA.line.split(" ");
    const entries = parseKnownHosts(`@cert-authority *.gemeente.nl,[127.0.0.1]:2222 ${typeA} ${b64A}\n`);
    const verdict = verifyHostKey(entries, "[127.0.0.1]:2222", keyB.blob);
    expect(verdict).toEqual({
      status: "unknown",
      fingerprint: keyB.fingerprint,
      keyType: "ecdsa-sha2-nistp256",
      certAuthorityLine: 1,
    });
    // Even the CA's own key, presented as a plain host key, is not trusted by the CA line.
    expect(verifyHostKey(entries, "[127.0.0.1]:2222", keyA.blob).status).toBe("unknown");
    const message = hostKeyMessage(verdict, "[127.0.0.1]:2222", "/home/ops/.ssh/known_hosts");
    expect(message).toContain("/home/ops/.ssh/known_hosts:1 trusts a @cert-authority");
    expect(message).toContain("host certificates are not supported");
    expect(message).toContain(keyB.fingerprint);
    // A host the CA line doesn't name gets the ordinary message.
    const other = verifyHostKey(entries, "10.0.0.1", keyB.blob);
    expect(other).toEqual({ status: "unknown", fingerprint: keyB.fingerprint, keyType: "ecdsa-sha2-nistp256" });
    expect(hostKeyMessage(other, "10.0.0.1", "kh")).toContain("is not in kh");
  });

  it("writes hashed lines that OpenSSH's ssh-keygen -F finds, and keeps a missing final newline intact", async () => {
    const path = join(dir, "sub", "known_hosts");
    const file = await KnownHostsFile.load(path);
    await Promise.all([file.add("[127.0.0.1]:2222", keyA.blob), file.add("10.1.1.1", keyB.blob)]);
    expect(file.verify("[127.0.0.1]:2222", keyA.blob).status).toBe("known");
    const { stdout } = await run("ssh-keygen", ["-F", "[127.0.0.1]:2222", "-f", path]);
    expect(stdout).toContain(keyA.line.split(" ")[1]);
    await run("ssh-keygen", ["-F", "10.1.1.1", "-f", path]);

    const unterminated = join(dir, "unterminated");
    writeFileSync(unterminated, `10.9.9.9 ${keyB.line.split(" ").slice(0, 2).join(" ")}`);
    await (await KnownHostsFile.load(unterminated)).add("10.9.9.8", keyA.blob);
    const reread = parseKnownHosts(readFileSync(unterminated, "utf8"));
    expect(reread).toHaveLength(2);
    expect(verifyHostKey(reread, "10.9.9.9", keyB.blob).status).toBe("known");
  });
});
