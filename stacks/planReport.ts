// Plain-text rendering of a plan summary and a comparison, as tables for a terminal or a change ticket.
import Table from "cli-table3";
import type { PlanComparison } from "./planCompare.js";
import type { PlanSummary } from "./planSummary.js";

function table(head: string[], rows: (string | number)[][], alignRightFrom = 1): string {
  const t = new Table({
    head,
    style: { head: [], border: [], compact: true },
    chars: { mid: "", "left-mid": "", "mid-mid": "", "right-mid": "" },
    colAligns: head.map((_, i) => (i >= alignRightFrom ? "right" : "left")),
  });
  t.push(...rows.map((r) => r.map(String)));
  return t.toString();
}

export function renderSummary(summary: PlanSummary): string {
  const lines = [`Plan for stack ${summary.stack}: ${summary.resources} resources to create`, ""];
  lines.push(
    table(
      ["resource type", "count"],
      summary.byType.map((t) => [t.type, t.count]),
    ),
  );
  lines.push("");
  const totals = summary.byDepartment.reduce(
    (acc, d) => ({
      resources: acc.resources + d.resources,
      servers: acc.servers + d.servers,
      vcpus: acc.vcpus + d.vcpus,
      memoryGiB: acc.memoryGiB + d.memoryGiB,
      diskGiB: acc.diskGiB + d.diskGiB,
      shareQuotaGiB: acc.shareQuotaGiB + d.shareQuotaGiB,
    }),
    { resources: 0, servers: 0, vcpus: 0, memoryGiB: 0, diskGiB: 0, shareQuotaGiB: 0 },
  );
  lines.push(
    table(
      ["department", "resources", "servers", "vCPUs", "memory GiB", "disk GiB", "share quota GiB"],
      [
        ...summary.byDepartment.map((d) => [
          d.department,
          d.resources,
          d.servers,
          d.vcpus,
          d.memoryGiB,
          d.diskGiB,
          d.shareQuotaGiB,
        ]),
        [
          "total",
          totals.resources,
          totals.servers,
          totals.vcpus,
          totals.memoryGiB,
          totals.diskGiB,
          totals.shareQuotaGiB,
        ],
      ],
    ),
  );
  for (const warning of summary.warnings) lines.push(`warning: ${warning}`);
  return lines.join("\n") + "\n";
}

const symbols = { add: "+", remove: "-", change: "~" } as const;

export function renderComparison(comparison: PlanComparison, labels: { before: string; after: string }): string {
  const lines = [`Changes from ${labels.before} to ${labels.after}:`, ""];
  if (comparison.changes.length === 0) return `${lines[0] ?? ""} none\n`;
  lines.push(
    table(
      ["department", "add", "remove", "change"],
      comparison.byDepartment.map((d) => [d.department, d.add, d.remove, d.change]),
    ),
  );
  let department = "";
  for (const change of comparison.changes) {
    if (change.department !== department) {
      department = change.department;
      lines.push("", `${department}:`);
    }
    const detail =
      change.kind === "change" ? ` (${change.paths.slice(0, 6).join(", ")}${morePaths(change.paths.length)})` : "";
    lines.push(`  ${symbols[change.kind]} ${change.type} ${change.name}${detail}`);
  }
  return lines.join("\n") + "\n";
}

/** ", +N more" after the first six paths of a change, or nothing. */
function morePaths(count: number): string {
  return count > 6 ? `, +${count - 6} more` : "";
}
