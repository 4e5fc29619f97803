// Talking to a command while it runs, over a real SSH connection: the dialogue a deploy script holds with
// the rollout (state, ready line, instruction, bundle), and how its failures read.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { NodeSSH } from "node-ssh";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KnownHostsFile } from "../../../agents/rollout/knownHosts.js";
import { startRemote, type RemoteProcess } from "../../../agents/rollout/remoteProcess.js";
import { connectSsh } from "../../../agents/rollout/sshConnection.js";
import { startSshd, type Sshd } from "./sshd.js";
import { started } from "../../helpers/started.js";

let dir: string;
let sshd: Sshd;
let ssh: NodeSSH;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "muniops-remote-"));
  sshd = await startSshd(join(dir, "sshd"));
  const knownHosts = await KnownHostsFile.load(join(dir, "known_hosts"));
  ({ ssh } = await connectSsh(
    { name: "remote", address: "127.0.0.1", port: sshd.port },
    { username: sshd.user, privateKey: readFileSync(sshd.identity, "utf8") },
    { knownHosts, acceptNew: true, dryRun: true },
  ));
});

afterAll(async () => {
  started(ssh)?.dispose();
  await started(sshd)?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function start(command: string, timeoutMs = 20_000): Promise<RemoteProcess> {
  return startRemote(ssh.connection!, command, { timeoutMs, onTimeout: () => undefined });
}

describe("a remote command the rollout talks to", () => {
  it("reports its state, waits for the instruction, and takes the bytes behind it from the same stdin", async () => {
    const remote = await start(`sh -c 'echo state=1; echo @@ready@@; read -r word; echo "word=$word"; wc -c'`);
    expect(await remote.readUntil("@@ready@@")).toBe("state=1\n");
    const payload = Buffer.alloc(300_000, 7);
    const stdout = await remote.finish(["go\n", payload]);
    expect(stdout).toMatch(/word=go\n\s*300000\n$/);
  });

  it("fails with the exit status and the last line of stderr", async () => {
    const remote = await start(
      `sh -c 'echo @@ready@@; read -r word; echo "first" >&2; echo "no room left on /opt" >&2; exit 3'`,
    );
    await remote.readUntil("@@ready@@");
    await expect(remote.finish(["go\n"])).rejects.toThrow("remote command failed (exit 3): no room left on /opt");
  });

  it("says so when the command ends before it is ready", async () => {
    const failing = await start(`sh -c 'echo "sudo: a password is required" >&2; exit 1'`);
    await expect(failing.readUntil("@@ready@@")).rejects.toThrow(
      "remote command failed (exit 1): sudo: a password is required",
    );
    const quiet = await start("true");
    await expect(quiet.readUntil("@@ready@@")).rejects.toThrow("ended before it was ready for instructions");
  });

  it("gives up on a command that hangs", async () => {
    const remote = await start("sleep 30", 300);
    await expect(remote.finish()).rejects.toThrow("remote command timed out after 0.3 s");
  });
});
