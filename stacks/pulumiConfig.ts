// Config as `pulumi up` provides it: the `muniops:` keys through pulumi.Config (secrets decrypted by the
// engine and kept secret as Outputs), validated by the same parseStackConfig as `muniops plan`.
import * as pulumi from "@pulumi/pulumi";
import { configKeys, parseStackConfig, secretKeys, type SecretKey, type StackConfig } from "./config.js";
import { configNamespace } from "./stackFile.js";

export function readPulumiConfig(stack: string): StackConfig {
  const config = new pulumi.Config(configNamespace);
  const raw: Record<string, unknown> = {};
  for (const key of configKeys) {
    const text = config.get(key);
    if (text === undefined) continue;
    // Structured values arrive as JSON text; plain strings (organization, location) don't parse as JSON.
    try {
      raw[key] = JSON.parse(text) as unknown;
    } catch {
      raw[key] = text;
    }
  }
  const secrets: Partial<Record<SecretKey, pulumi.Output<string>>> = {};
  for (const key of secretKeys) {
    const value = config.getSecret(key);
    if (value !== undefined) secrets[key] = value;
  }
  return parseStackConfig(stack, raw, secrets, `Pulumi.${stack}.yaml`);
}
