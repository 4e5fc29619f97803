// Opening an SSH connection the way the rollout must: the host key is checked against known_hosts
// before authentication (strict, or accept-new), and authentication is by ssh-agent or a key file only.
// Password authentication is never offered, and no credential is ever logged.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { connect as tcpConnect } from "node:net";
import { NodeSSH } from "node-ssh";
import type * as Ssh2 from "ssh2";
import type { ConnectConfig } from "ssh2";
import { UsageError } from "../../errors.js";
import { knownHostsName, type HostKeyVerdict, type KnownHostsFile } from "./knownHosts.js";

export interface SshCredentials {
  username: string;
  /** The ssh-agent socket (SSH_AUTH_SOCK). */
  agent?: string;
  /** The key file's text (OpenSSH or PEM). */
  privateKey?: string;
  passphrase?: string;
}

export interface SshTarget {
  /** The inventory host name, for messages. */
  name: string;
  address: string;
  port: number;
}

export interface HostKeyPolicy {
  knownHosts: KnownHostsFile;
  /** OpenSSH's StrictHostKeyChecking=accept-new: record keys of hosts never seen; never accept a changed key. */
  acceptNew: boolean;
  /** Accept a new key for this connection but don't write it (a dry run changes nothing). */
  dryRun: boolean;
}

export interface HostKeyOutcome {
  status: "known" | "added" | "would-add";
  fingerprint: string;
}

/** The host refused on its key: an expected, per-host failure with a message that says what to do. */
export class HostKeyError extends Error {
  constructor(
    message: string,
    readonly verdict: HostKeyVerdict,
  ) {
    super(message);
    this.name = "HostKeyError";
  }
}

// ssh2's host-key algorithms, in its own default order; the ones a host is already known by go first.
const hostKeyAlgorithms = [
  "ssh-ed25519",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "rsa-sha2-512",
  "rsa-sha2-256",
  "ssh-rsa",
];

function algorithmsPreferring(keyTypes: readonly string[]): string[] {
  const first = hostKeyAlgorithms.filter((alg) =>
    keyTypes.some((type) => alg === type || (type === "ssh-rsa" && alg.startsWith("rsa-sha2-"))),
  );
  return [...first, ...hostKeyAlgorithms.filter((alg) => !first.includes(alg))];
}

export function hostKeyMessage(verdict: HostKeyVerdict, name: string, knownHostsPath: string): string {
  switch (verdict.status) {
    case "unknown":
      if (verdict.certAuthorityLine !== undefined) {
        return (
          `host key for ${name} (${verdict.keyType} ${verdict.fingerprint}) can't be checked: ` +
          `${knownHostsPath}:${verdict.certAuthorityLine} trusts a @cert-authority for it, but host ` +
          `certificates are not supported (the SSH library negotiates plain host keys only). Add the host's ` +
          `own key (ssh-keyscan), or rerun with --accept-new`
        );
      }
      return (
        `host key for ${name} is not in ${knownHostsPath} (${verdict.keyType} ${verdict.fingerprint}): check ` +
        `the fingerprint and add it (ssh-keyscan), or rerun with --accept-new`
      );
    case "changed":
      return (
        `HOST KEY CHANGED for ${name}: the server presents ${verdict.fingerprint}, but ` +
        `${knownHostsPath}:${verdict.line} holds ${verdict.knownFingerprints.join(", ")}; refusing to connect ` +
        `(possible man-in-the-middle). If the change is expected, remove the old key with: ssh-keygen -R ` +
        `'${name}' -f ${knownHostsPath}`
      );
    case "revoked":
      return (
        `host key ${verdict.fingerprint} for ${name} is marked @revoked in ${knownHostsPath}:${verdict.line}; ` +
        `refusing to connect`
      );
    case "known":
      return `host key for ${name} is known (${verdict.fingerprint})`;
  }
}

/** Connect and authenticate. Throws HostKeyError when the host key is refused. */
export async function connectSsh(
  target: SshTarget,
  credentials: SshCredentials,
  policy: HostKeyPolicy,
  timeoutMs = 20_000,
): Promise<{ ssh: NodeSSH; hostKey: HostKeyOutcome }> {
  const name = knownHostsName(target.address, target.port);
  let refusal: HostKeyError | undefined;
  let outcome: HostKeyOutcome | undefined;
  let pendingWrite: Promise<void> | undefined;

  const config: ConnectConfig & { privateKey?: string } = {
    // ssh2 writes each SSH packet separately (channel open, then exec), and Nagle's algorithm holds the
    // second write until the first is acknowledged, which Linux delays by 40 ms: every exec and every
    // health probe paid 40 ms of nothing. OpenSSH sets TCP_NODELAY the same way for interactive use.
    sock: tcpConnect({ host: target.address, port: target.port, noDelay: true }),
    host: target.address,
    port: target.port,
    username: credentials.username,
    readyTimeout: timeoutMs,
    keepaliveInterval: 15_000,
    algorithms: {
      serverHostKey: algorithmsPreferring(policy.knownHosts.preferredKeyTypes(name)) as NonNullable<
        ConnectConfig["algorithms"]
      >["serverHostKey"],
    },
    hostVerifier: (key: Buffer): boolean => {
      const verdict = policy.knownHosts.verify(name, key);
      if (verdict.status === "known") {
        outcome = { status: "known", fingerprint: verdict.fingerprint };
        return true;
      }
      if (verdict.status === "unknown" && policy.acceptNew) {
        if (policy.dryRun) {
          outcome = { status: "would-add", fingerprint: verdict.fingerprint };
        } else {
          outcome = { status: "added", fingerprint: verdict.fingerprint };
          pendingWrite = policy.knownHosts.add(name, key);
        }
        return true;
      }
      refusal = new HostKeyError(hostKeyMessage(verdict, name, policy.knownHosts.path), verdict);
      return false;
    },
    // Only public keys: from the agent, then the key file. No password or keyboard-interactive, and not
    // ssh2's default opening "none" request either: it only costs a round trip to learn the methods.
    tryKeyboard: false,
    authHandler: [
      ...(credentials.agent ? (["agent"] as const) : []),
      ...(credentials.privateKey ? (["publickey"] as const) : []),
    ],
  };
  if (credentials.agent) config.agent = credentials.agent;
  if (credentials.privateKey) config.privateKey = credentials.privateKey;
  if (credentials.passphrase) config.passphrase = credentials.passphrase;

  const ssh = new NodeSSH();
  try {
    await ssh.connect(config);
  } catch (error) {
    ssh.dispose();
    if (refusal) throw refusal;
    throw new Error(`ssh ${credentials.username}@${name}: ${describeSshError(error)}`, { cause: error });
  }
  if (pendingWrite) await pendingWrite;
  if (!outcome) throw new Error(`ssh ${name}: the host key was never verified`);
  return { ssh, hostKey: outcome };
}

function describeSshError(error: unknown): string {
  const err = error as { message?: string; level?: string; code?: string };
  if (err.level === "client-authentication")
    return "authentication failed (offered the ssh-agent keys and the key file; password authentication is not used)";
  if (err.code === "ECONNREFUSED") return "connection refused";
  if (err.code === "ETIMEDOUT" || err.message?.includes("Timed out")) return "timed out";
  if (err.code === "EHOSTUNREACH" || err.code === "ENETUNREACH") return "host unreachable";
  return err.message ?? String(error);
}

export interface CredentialOptions {
  user: string;
  /** A private key file; without one, the ssh-agent is the only source. */
  identity?: string | undefined;
  env?: NodeJS.ProcessEnv;
  /** The key's passphrase from the configuration (MUNIOPS_ROLLOUT_SSH_PASSPHRASE), for unattended runs. */
  passphrase?: string | undefined;
  /** Ask for a passphrase (on the terminal). Not called when the key is unencrypted or a passphrase is set. */
  promptPassphrase?: (question: string) => Promise<string>;
}

/**
 * Gather the credentials once, before any connection, so a parallel rollout asks for a passphrase at
 * most once and fails before touching any host when there is nothing to authenticate with.
 */
export async function loadCredentials(options: CredentialOptions): Promise<SshCredentials> {
  const env = options.env ?? process.env;
  const credentials: SshCredentials = { username: options.user };
  if (env.SSH_AUTH_SOCK) credentials.agent = env.SSH_AUTH_SOCK;
  if (options.identity) {
    let key: Buffer;
    try {
      key = await readFile(options.identity);
    } catch (error) {
      throw new UsageError(
        `couldn't read the key file ${options.identity} (--identity): ` +
          ((error as NodeJS.ErrnoException).code ?? String(error)),
      );
    }
    credentials.privateKey = key.toString("utf8");
    // ssh2 is CommonJS and its `utils` is invisible to ESM named imports: take it from the module object.
    const { utils } = createRequire(import.meta.url)("ssh2") as typeof Ssh2;
    if (utils.parseKey(key) instanceof Error) {
      let passphrase = options.passphrase;
      if (!passphrase) {
        if (!options.promptPassphrase)
          throw new UsageError(
            `the key file ${options.identity} (--identity) is encrypted: run on a terminal to be asked for ` +
              `its passphrase, or load it into ssh-agent`,
          );
        passphrase = await options.promptPassphrase(`Enter passphrase for key '${options.identity}': `);
      }
      const parsed = utils.parseKey(key, passphrase);
      if (parsed instanceof Error)
        throw new UsageError(
          `couldn't use the key file ${options.identity} (--identity): wrong passphrase or unsupported key ` +
            `(${parsed.message})`,
        );
      credentials.passphrase = passphrase;
    }
  }
  if (!credentials.agent && !credentials.privateKey) {
    throw new UsageError(
      "no SSH credentials: start ssh-agent (SSH_AUTH_SOCK) or give a key file with --identity (password " +
        "authentication is not supported)",
    );
  }
  return credentials;
}

/** Read a passphrase from the terminal without echoing it. */
export function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(question);
    let answer = "";
    const wasRaw = stdin.isRaw;
    stdin.setRawMode(true);
    stdin.resume();
    const onData = (chunk: Buffer): void => {
      for (const char of chunk.toString("utf8")) {
        if (char === "\r" || char === "\n") {
          cleanup();
          process.stderr.write("\n");
          resolve(answer);
          return;
        }
        if (char === "\u0003") {
          cleanup();
          process.stderr.write("\n");
          reject(new UsageError("passphrase entry cancelled"));
          return;
        }
        if (char === "\u007f" || char === "\b") answer = answer.slice(0, -1);
        else answer += char;
      }
    };
    const cleanup = (): void => {
      stdin.off("data", onData);
      stdin.setRawMode(wasRaw);
      stdin.pause();
    };
    stdin.on("data", onData);
  });
}
