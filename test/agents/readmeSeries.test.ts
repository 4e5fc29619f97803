// The README's table of agent series and their node_exporter equivalents names every series the agent
// exports on Linux, so the mapping cannot silently fall behind a new collector or metric.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { familiesFor } from "../../agents/collectors/filesystem.js";
import { timexFamilies } from "../../agents/collectors/timex.js";
import { updatesFamilies } from "../../agents/collectors/updates.js";
import { readTextfiles } from "../../agents/collectors/textfile.js";
import { repoRoot } from "../helpers/cli.js";

/** Every series name a table cell mentions; `_suffix` tokens continue the cell's first full name. */
function namesInCell(cell: string): string[] {
  const tokens = [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!.replace(/\{.*\}$/, ""));
  const first = tokens.find((t) => t.startsWith("muniops_"));
  const names: string[] = [];
  for (const token of tokens) {
    if (token.startsWith("muniops_")) names.push(token);
    else if (token.startsWith("_") && first) {
      // `_packets_total` after `muniops_network_receive_bytes_total`: every way of replacing a tail of the first.
      for (let i = first.indexOf("_"); i > 0; i = first.indexOf("_", i + 1)) names.push(first.slice(0, i) + token);
    }
  }
  return names;
}

describe("README series table", () => {
  const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
  const table = readme.split("#### Series and their node_exporter 1.5.0 equivalents")[1]?.split("\n#### ")[0] ?? "";
  const rows = table.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| collector"));
  const mapped = new Set(rows.flatMap((row) => namesInCell(row.split(" | ")[1] ?? "")));
  const genericMemory = rows.some((row) => row.includes("`muniops_memory_<field>_bytes`"));

  it("names every series the agent exports on Linux", async () => {
    const golden = readFileSync(join(repoRoot, "test", "fixtures", "agent", "golden.prom"), "utf8");
    const exported = new Set([...golden.matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1]!));
    const stats = { size: 1, free: 1, avail: 1, files: 1, filesFree: 1, readonly: false };
    for (const f of familiesFor([{ labels: {}, stats }], "")) exported.add(f.name);
    exported.add("muniops_filesystem_device_error");
    for (const f of timexFamilies({ mtimeSeconds: 1 })) exported.add(f.name);
    for (const f of await readTextfiles(join(repoRoot, "test", "fixtures", "agent", "textfile"))) {
      if (f.name.startsWith("muniops_textfile_")) exported.add(f.name);
    }
    const check = { backend: "apt" as const, security: ["a"], otherCount: 1, held: 0, rebootRequired: true };
    const state = { version: 1 as const, securityFirstSeen: { a: 1 }, rebootRequiredSince: 1, lastSuccess: 1 };
    for (const f of updatesFamilies({ success: true, durationSeconds: 1, check }, state, 2)) exported.add(f.name);

    const missing = [...exported].filter(
      (name) => !mapped.has(name) && !(genericMemory && name.startsWith("muniops_memory_")),
    );
    expect(missing).toEqual([]);
    expect(exported.size).toBeGreaterThan(100);
  });

  it("names only series that exist", () => {
    const sources = ["golden.prom"].map((f) => readFileSync(join(repoRoot, "test", "fixtures", "agent", f), "utf8"));
    const code = [
      "collectors/filesystem.ts",
      "collectors/timex.ts",
      "collectors/updates.ts",
      "collectors/textfile.ts",
      "collectors/netdev.ts",
      // names the collectors take from the cross-part contract
      "../contracts/metrics.ts",
    ].map((f) => readFileSync(join(repoRoot, "agents", f), "utf8"));
    const cells = rows.map((row) => row.split(" | ")[1] ?? "");
    const fullNames = cells.flatMap((cell) => [...cell.matchAll(/`(muniops_[a-z0-9_]+)/g)].map((m) => m[1]!));
    const unknown = fullNames.filter((name) => ![...sources, ...code].some((text) => text.includes(name)));
    expect(unknown).toEqual([]);
  });
});
