// A real OpenSSH server for the rollout tests: its own host key, one authorized client key, password
// authentication off, on a free loopback port. Fails loudly when sshd or ssh-keygen is missing (CI
// installs openssh-server).
import { freePort } from "../../helpers/ports.js";
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface Sshd {
  port: number;
  dir: string;
  /** The client key that may log in (no passphrase). */
  identity: string;
  /** The server's host public key line (`ssh-ed25519 AAAA…`). */
  hostPublicKey: string;
  user: string;
  stop(): Promise<void>;
}

export { freePort };

export async function keygen(path: string, type = "ed25519", passphrase = ""): Promise<string> {
  await run("ssh-keygen", ["-q", "-t", type, "-N", passphrase, "-C", "muniops-test", "-f", path]);
  return readFileSync(`${path}.pub`, "utf8").trim();
}

/** `ssh-keygen -lf`: OpenSSH's own SHA256 fingerprint of a public key file. */
export async function fingerprintFile(path: string): Promise<string> {
  const { stdout } = await run("ssh-keygen", ["-l", "-E", "sha256", "-f", path]);
  const fingerprint = stdout.split(" ")[1];
  if (!fingerprint) throw new Error(`ssh-keygen -lf ${path} printed ${stdout}`);
  return fingerprint;
}

export interface SshdOptions {
  /** ListenAddress lines; 0.0.0.0 gives every 127.0.0.x loopback address its own "host" (the benchmark). */
  listen?: readonly string[];
}

export async function startSshd(dir: string, options: SshdOptions = {}): Promise<Sshd> {
  for (const binary of ["/usr/sbin/sshd", "/usr/bin/ssh-keygen"]) {
    if (!existsSync(binary))
      throw new Error(`${binary} is missing: install openssh-server and openssh-client (bash .ci/run does)`);
  }
  mkdirSync(dir, { recursive: true });
  // sshd refuses to start without its privilege-separation directory (normally made by systemd).
  mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
  const hostKey = join(dir, "ssh_host_ed25519_key");
  const identity = join(dir, "client_key");
  const hostPublicKey = await keygen(hostKey);
  writeFileSync(join(dir, "authorized_keys"), (await keygen(identity)) + "\n", { mode: 0o600 });
  const port = await freePort();
  const { stdout: user } = await run("id", ["-un"]);
  const config = [
    `Port ${port}`,
    // By default a second loopback address reaches the same server under another known_hosts name.
    ...(options.listen ?? ["127.0.0.1", "127.0.0.2"]).map((address) => `ListenAddress ${address}`),
    `HostKey ${hostKey}`,
    `AuthorizedKeysFile ${join(dir, "authorized_keys")}`,
    "PasswordAuthentication no",
    "KbdInteractiveAuthentication no",
    "PubkeyAuthentication yes",
    "PermitRootLogin prohibit-password",
    "StrictModes no",
    "UsePAM no",
    "PidFile none",
    "AllowTcpForwarding yes",
    // Parallel rollouts open many connections at once; the default (10:30:100) drops some.
    "MaxStartups 200",
    "MaxSessions 50",
    "LogLevel ERROR",
    // Bash sources ~/.bashrc for every SSH command unless it believes it is nested (SHLVL >= 1); a
    // heavy root .bashrc (pyenv on the dev machine) otherwise costs ~3 s per command. Sessions are
    // otherwise unchanged.
    "SetEnv SHLVL=1",
  ].join("\n");
  const configPath = join(dir, "sshd_config");
  writeFileSync(configPath, config + "\n");
  const child: ChildProcess = spawn("/usr/sbin/sshd", ["-D", "-e", "-f", configPath], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  await waitForPort(port, () => (child.exitCode !== null ? `sshd exited (${child.exitCode}): ${stderr}` : undefined));
  return {
    port,
    dir,
    identity,
    hostPublicKey,
    user: user.trim(),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) {
          resolve();
          return;
        }
        child.once("exit", () => {
          resolve();
        });
        child.kill("SIGTERM");
      }),
  };
}

async function waitForPort(port: number, failed: () => string | undefined): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const problem = failed();
    if (problem) throw new Error(problem);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1", () => {
        socket.destroy();
        resolve(true);
      });
      socket.on("error", () => {
        resolve(false);
      });
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`sshd did not listen on 127.0.0.1:${port} within 10 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
