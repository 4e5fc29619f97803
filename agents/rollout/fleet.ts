// Run one operation over many hosts, at most `parallel` at a time, in inventory order. Results come
// back in inventory order whatever order the hosts finish in.
import type { InventoryHost } from "../../contracts/inventory.js";
import type { HostResult, StepListener } from "./hostOperations.js";

export interface FleetListener {
  onStep?(host: InventoryHost, step: string): void;
  onResult?(result: HostResult): void;
}

export async function runFleet(
  hosts: readonly InventoryHost[],
  parallel: number,
  operation: (host: InventoryHost, step: StepListener) => Promise<HostResult>,
  listener: FleetListener = {},
): Promise<HostResult[]> {
  const results: HostResult[] = new Array<HostResult>(hosts.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < hosts.length) {
      const index = next++;
      const host = hosts[index];
      if (!host) break;
      const result = await operation(host, (step) => listener.onStep?.(host, step));
      results[index] = result;
      listener.onResult?.(result);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, hosts.length)) }, worker));
  return results;
}

/** `--hosts` patterns: comma-separated globs (`*`, `?`, `[abc]`) on the inventory host name; `!` excludes. */
export function hostMatcher(patterns: string | undefined): (name: string) => boolean {
  if (patterns === undefined || patterns.trim() === "") return () => true;
  const parts = patterns
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "");
  const include = parts.filter((p) => !p.startsWith("!")).map(globToRegExp);
  const exclude = parts.filter((p) => p.startsWith("!")).map((p) => globToRegExp(p.slice(1)));
  return (name) => (include.length === 0 || include.some((r) => r.test(name))) && !exclude.some((r) => r.test(name));
}

export function globToRegExp(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const char = glob.charAt(i);
    if (char === "*") source += ".*";
    else if (char === "?") source += ".";
    else if (char === "[") {
      const end = glob.indexOf("]", i + 1);
      if (end === -1) source += "\\[";
      else {
        source += `[${glob
          .slice(i + 1, end)
          .replace(/^!/, "^")
          .replace(/\\/g, "\\\\")}]`;
        i = end;
      }
    } else source += char.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}
