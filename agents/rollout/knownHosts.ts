// Host-key verification against an OpenSSH known_hosts file, with OpenSSH's semantics: plain and hashed
// (`|1|salt|hmac`) host patterns, `[host]:port` for non-22 ports, wildcards and negation, `@revoked`
// markers. The rollout connects to hundreds of servers unattended, so a key we cannot vouch for is
// refused before a single byte of the agent or its config leaves this machine. `@cert-authority` lines
// are read but vouch for nothing: ssh2 negotiates plain host keys only, never certificates, so a host
// known only through its CA is refused with a message that says so.
import { createHash, createHmac, randomBytes } from "node:crypto";
import { appendFile, mkdir, readFile } from "node:fs/promises";
import { dirname } from "node:path";

export interface KnownHostEntry {
  marker?: "revoked" | "cert-authority";
  /** The host patterns as written (comma-separated, or one `|1|salt|hash`). */
  hosts: string;
  keyType: string;
  /** The key blob in SSH wire format. */
  key: Buffer;
  line: number;
}

export type HostKeyVerdict =
  | { status: "known"; fingerprint: string }
  | {
      status: "unknown";
      fingerprint: string;
      keyType: string;
      /**
       * A `@cert-authority` line that names this host: it vouches only for host certificates, which
       * ssh2 cannot negotiate (it offers plain host-key algorithms only), so it can't vouch for this key.
       */
      certAuthorityLine?: number;
    }
  | { status: "changed"; fingerprint: string; knownFingerprints: string[]; line: number }
  | { status: "revoked"; fingerprint: string; line: number };

/** The name known_hosts stores for a host: `address`, or `[address]:port` when the port is not 22. */
export function knownHostsName(address: string, port: number): string {
  return port === 22 ? address : `[${address}]:${port}`;
}

/** OpenSSH's fingerprint: `SHA256:` and the unpadded base64 of the SHA-256 of the key blob. */
export function fingerprintOf(key: Buffer): string {
  return `SHA256:${createHash("sha256").update(key).digest("base64").replace(/=+$/, "")}`;
}

/** The key type named inside an SSH wire-format key blob (its first string), e.g. `ssh-ed25519`. */
export function keyTypeOf(key: Buffer): string {
  if (key.length < 4) return "unknown";
  const length = key.readUInt32BE(0);
  return key.subarray(4, 4 + length).toString("latin1");
}

export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const fields = line.split(/\s+/);
    let marker: KnownHostEntry["marker"];
    if (fields[0]?.startsWith("@")) {
      const name = fields.shift();
      if (name === "@revoked") marker = "revoked";
      else if (name === "@cert-authority") marker = "cert-authority";
      else return; // an unknown marker: OpenSSH ignores the line too
    }
    const [hosts, keyType, base64] = fields;
    if (!hosts || !keyType || !base64 || !/^[A-Za-z0-9+/]+=*$/.test(base64)) return;
    const entry: KnownHostEntry = { hosts, keyType, key: Buffer.from(base64, "base64"), line: index + 1 };
    if (marker) entry.marker = marker;
    entries.push(entry);
  });
  return entries;
}

/** Does a known_hosts host field match this name? Hashed entries, wildcards and `!negation` as in OpenSSH. */
export function hostFieldMatches(field: string, name: string): boolean {
  if (field.startsWith("|1|")) {
    const [, , salt, hash] = field.split("|");
    if (!salt || !hash) return false;
    const digest = createHmac("sha1", Buffer.from(salt, "base64")).update(name).digest("base64");
    return digest === hash;
  }
  let matched = false;
  for (const pattern of field.split(",")) {
    const negated = pattern.startsWith("!");
    const body = (negated ? pattern.slice(1) : pattern).toLowerCase();
    if (wildcardMatch(body, name.toLowerCase())) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

function wildcardMatch(pattern: string, text: string): boolean {
  if (!pattern.includes("*") && !pattern.includes("?")) return pattern === text;
  const regex = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
  );
  return regex.test(text);
}

/**
 * Judge a presented host key. A key of a type we hold no entry for, while the host has keys of other
 * types, counts as changed: the rollout asks for the known types first (see preferredKeyTypes), so a
 * server that no longer offers them is exactly the situation strict checking exists for.
 */
export function verifyHostKey(entries: readonly KnownHostEntry[], name: string, key: Buffer): HostKeyVerdict {
  const fingerprint = fingerprintOf(key);
  const forHost = entries.filter((e) => e.marker !== "cert-authority" && hostFieldMatches(e.hosts, name));
  const revoked = entries.find((e) => e.marker === "revoked" && e.key.equals(key));
  if (revoked) return { status: "revoked", fingerprint, line: revoked.line };
  const plain = forHost.filter((e) => e.marker === undefined);
  if (plain.some((e) => e.key.equals(key))) return { status: "known", fingerprint };
  const first = plain[0];
  if (first)
    return {
      status: "changed",
      fingerprint,
      knownFingerprints: [...new Set(plain.map((e) => fingerprintOf(e.key)))],
      line: first.line,
    };
  const authority = entries.find((e) => e.marker === "cert-authority" && hostFieldMatches(e.hosts, name));
  return {
    status: "unknown",
    fingerprint,
    keyType: keyTypeOf(key),
    ...(authority ? { certAuthorityLine: authority.line } : {}),
  };
}

/** The key types known for a host, so the connection can ask the server for those first (as OpenSSH does). */
export function preferredKeyTypes(entries: readonly KnownHostEntry[], name: string): string[] {
  return [
    ...new Set(entries.filter((e) => e.marker === undefined && hostFieldMatches(e.hosts, name)).map((e) => e.keyType)),
  ];
}

/** A known_hosts line for a new key, hashed like OpenSSH's `HashKnownHosts yes` (Debian's default). */
export function knownHostsLine(name: string, key: Buffer, hashed = true): string {
  let hosts = name;
  if (hashed) {
    const salt = randomBytes(20);
    hosts = `|1|${salt.toString("base64")}|${createHmac("sha1", salt).update(name).digest("base64")}`;
  }
  return `${hosts} ${keyTypeOf(key)} ${key.toString("base64")}`;
}

/**
 * One known_hosts file, read once per run. New keys accepted during a parallel rollout are appended
 * one at a time (an O_APPEND write of one line), so concurrent hosts never interleave or lose a line.
 */
export class KnownHostsFile {
  private entries: KnownHostEntry[] = [];
  private writes: Promise<void> = Promise.resolve();

  private constructor(readonly path: string) {}

  static async load(path: string): Promise<KnownHostsFile> {
    const file = new KnownHostsFile(path);
    try {
      file.entries = parseKnownHosts(await readFile(path, "utf8"));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    return file;
  }

  verify(name: string, key: Buffer): HostKeyVerdict {
    return verifyHostKey(this.entries, name, key);
  }

  preferredKeyTypes(name: string): string[] {
    return preferredKeyTypes(this.entries, name);
  }

  add(name: string, key: Buffer): Promise<void> {
    const line = knownHostsLine(name, key);
    this.entries.push({
      hosts: line.split(" ")[0] ?? name,
      keyType: keyTypeOf(key),
      key,
      line: this.entries.length + 1,
    });
    const write = this.writes.then(async () => {
      await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
      // A hand-edited file may lack its final newline; appending there would fuse two entries.
      const existing = await readFile(this.path, "utf8").catch(() => "");
      const separator = existing !== "" && !existing.endsWith("\n") ? "\n" : "";
      await appendFile(this.path, `${separator}${line}\n`, { mode: 0o600 });
    });
    this.writes = write.catch(() => undefined);
    return write;
  }
}
