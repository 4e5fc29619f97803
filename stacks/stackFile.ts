// Reading a stack's settings file, Pulumi.<stack>.yaml, the way `pulumi` would: the `muniops:` keys are
// the program's config; `secure:` values are encrypted with the stack's secrets provider, which `muniops
// plan` (offline, no credentials) can't open, so they become placeholder secrets. Problems point at the
// file and line.
import { basename, join } from "node:path";
import { isMap } from "yaml";
import { UsageError } from "../errors.js";
import { readYamlFile } from "../yamlFile.js";
import { packageRoot } from "../packageInfo.js";
import { secretKeys, type SecretKey } from "./config.js";

export const configNamespace = "muniops";

export interface StackFile {
  path: string;
  /** The `muniops:` values, without the namespace. */
  values: Record<string, unknown>;
  /** Secret keys present in the file (encrypted or, for a throwaway dev stack, plain). */
  secretsSet: SecretKey[];
  /** Every config key as `pulumi preview --json` shows it: strings, JSON for objects, "[secret]". */
  digestConfig: Record<string, string>;
  /** The file and line of a config path, for error messages. */
  locate(path: readonly PropertyKey[]): string;
}

export function stackFilePath(stack: string, directory = packageRoot()): string {
  if (!/^[A-Za-z0-9_.-]+$/.test(stack))
    throw new UsageError(`invalid --stack "${stack}": a stack name is letters, digits, "-", "_" and "."`);
  return join(directory, `Pulumi.${stack}.yaml`);
}

export function readStackFile(path: string): StackFile {
  const missingHint = "is the stack name right? stacks have a Pulumi.<stack>.yaml";
  const { doc, lineCounter, errors } = readYamlFile(path, "stack settings", { missingHint });
  const [first] = errors;
  if (first) throw new UsageError(`couldn't read stack settings ${path}:${first.line}: ${first.message}`);
  const data: unknown = doc.toJS();
  const config = (data as { config?: unknown } | null)?.config ?? {};
  if (typeof config !== "object" || Array.isArray(config))
    throw new UsageError(`couldn't read stack settings ${path}: "config" must be a map of keys to values`);

  const values: Record<string, unknown> = {};
  const secretsSet: SecretKey[] = [];
  const digestConfig: Record<string, string> = {};
  for (const [key, value] of Object.entries(config as Record<string, unknown>)) {
    const isSecure = typeof value === "object" && value !== null && "secure" in value;
    digestConfig[key] = isSecure ? "[secret]" : typeof value === "string" ? value : JSON.stringify(value);
    const [namespace, name] = key.includes(":") ? key.split(":", 2) : [configNamespace, key];
    if (namespace !== configNamespace || name === undefined) continue;
    if ((secretKeys as readonly string[]).includes(name)) {
      secretsSet.push(name as SecretKey);
      if (!isSecure) digestConfig[key] = "[secret]";
      continue;
    }
    values[name] = value;
  }
  const file = basename(path);
  const locate = (configPathParts: readonly PropertyKey[]): string => {
    const [first, ...rest] = configPathParts;
    const configNode = doc.get("config", true);
    if (first === undefined || !isMap(configNode)) return file;
    // The deepest node that exists: a missing key points at its parent.
    for (let depth = rest.length; depth >= 0; depth--) {
      const node = doc.getIn(["config", `${configNamespace}:${String(first)}`, ...rest.slice(0, depth)], true) as
        { range?: [number, number, number] } | undefined;
      if (node?.range) return `${file}:${lineCounter.linePos(node.range[0]).line}`;
    }
    return file;
  };
  return { path, values, secretsSet, digestConfig, locate };
}
