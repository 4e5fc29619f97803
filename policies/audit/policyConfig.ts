// `--policy-config FILE`: the same JSON file `pulumi preview --policy-pack-config` takes, mapping policy
// names to an enforcement level or to settings ({ "enforcementLevel": "advisory", "allowedLocations": [...] }).
import { readFileSync } from "node:fs";
import { UsageError } from "../../errors.js";
import { policyById } from "../catalog.js";
import type { PolicyPackConfig } from "./evaluate.js";

const levels = new Set(["advisory", "mandatory", "remediate", "disabled"]);

export function readPolicyConfig(path: string): PolicyPackConfig {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `couldn't read policy config ${path}: ` +
        (code === "ENOENT" ? "no such file" : error instanceof Error ? error.message : String(error)),
    );
  }
  if (data === null || typeof data !== "object" || Array.isArray(data))
    throw new UsageError(`policy config ${path}: expected an object mapping policy names to settings`);
  for (const [name, entry] of Object.entries(data)) {
    if (!policyById(name)) throw new UsageError(`policy config ${path}: unknown policy "${name}"`);
    const level: unknown =
      typeof entry === "string" ? entry : (entry as { enforcementLevel?: unknown } | null)?.enforcementLevel;
    if (level !== undefined && (typeof level !== "string" || !levels.has(level))) {
      throw new UsageError(`policy config ${path}: ${name}: enforcementLevel must be one of ${[...levels].join(", ")}`);
    }
  }
  return data as PolicyPackConfig;
}
