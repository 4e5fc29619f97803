// Credentials are gathered once, before any host is touched: key file (asking for its passphrase),
// or ssh-agent; never a password. Wrong or missing input is a usage error naming the flag.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCredentials } from "../../../agents/rollout/sshConnection.js";
import { UsageError } from "../../../errors.js";
import { keygen } from "./sshd.js";

let dir: string;
let plainKey: string;
let encryptedKey: string;
const passphrase = "correct horse battery staple";

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "muniops-creds-"));
  plainKey = join(dir, "plain");
  encryptedKey = join(dir, "encrypted");
  await keygen(plainKey);
  await keygen(encryptedKey, "ed25519", passphrase);
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("loadCredentials", () => {
  it("uses ssh-agent when SSH_AUTH_SOCK is set, and refuses to go on with nothing", async () => {
    await expect(loadCredentials({ user: "ops", env: { SSH_AUTH_SOCK: "/run/agent.sock" } })).resolves.toEqual({
      username: "ops",
      agent: "/run/agent.sock",
    });
    await expect(loadCredentials({ user: "ops", env: {} })).rejects.toThrow(
      /no SSH credentials: start ssh-agent \(SSH_AUTH_SOCK\) or give a key file with --identity/,
    );
  });

  it("reads an unencrypted key without asking anything", async () => {
    let asked = false;
    const credentials = await loadCredentials({
      user: "ops",
      identity: plainKey,
      env: {},
      promptPassphrase: () => {
        asked = true;
        return Promise.resolve("");
      },
    });
    expect(credentials.privateKey).toContain("OPENSSH PRIVATE KEY");
    expect(asked).toBe(false);
  });

  it("asks once for the passphrase of an encrypted key and checks it before any connection", async () => {
    const questions: string[] = [];
    const credentials = await loadCredentials({
      user: "ops",
      identity: encryptedKey,
      env: {},
      promptPassphrase: (q) => {
        questions.push(q);
        return Promise.resolve(passphrase);
      },
    });
    expect(questions).toEqual([`Enter passphrase for key '${encryptedKey}': `]);
    expect(credentials.passphrase).toBe(passphrase);
    await expect(
      loadCredentials({
        user: "ops",
        identity: encryptedKey,
        env: {},
        promptPassphrase: () => Promise.resolve("wrong"),
      }),
    ).rejects.toThrow(/wrong passphrase/);
  });

  it("without a terminal, an encrypted key needs the configured passphrase or ssh-agent", async () => {
    const error = await loadCredentials({ user: "ops", identity: encryptedKey, env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(
      /is encrypted: run on a terminal to be asked for its passphrase, or load it into ssh-agent/,
    );
    await expect(loadCredentials({ user: "ops", identity: encryptedKey, env: {}, passphrase })).resolves.toMatchObject({
      passphrase,
    });
    await expect(loadCredentials({ user: "ops", identity: join(dir, "missing"), env: {} })).rejects.toThrow(
      `couldn't read the key file ${join(dir, "missing")} (--identity): ENOENT`,
    );
  });
});
