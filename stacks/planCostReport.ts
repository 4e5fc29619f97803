// The cost of a change as text: a table under the plain comparison, or the whole review as Markdown for a
// pull-request comment (`muniops plan --compare old.json --format markdown`).
import Table from "cli-table3";
import type { PlanComparison } from "./planCompare.js";
import type { PlanCost } from "./planCost.js";

/** EUR millionths as euros with two decimals (half away from zero); a sign on a delta. */
export function euros(micro: bigint, signed = false): string {
  const negative = micro < 0n;
  const abs = negative ? -micro : micro;
  const cents = (abs + 5_000n) / 10_000n;
  const text = `${cents / 100n}.${(cents % 100n).toString().padStart(2, "0")}`;
  if (cents === 0n) return signed ? "±0.00" : "0.00";
  return negative ? `-${text}` : signed ? `+${text}` : text;
}

function costRows(cost: PlanCost): string[][] {
  const row = (name: string, before: bigint[], after: bigint[], delta: bigint[]): string[] => [
    name,
    ...cost.models.flatMap((_, i) => [euros(before[i] ?? 0n), euros(after[i] ?? 0n), euros(delta[i] ?? 0n, true)]),
  ];
  return [
    ...cost.departments
      .filter((d) => d.delta.some((x) => x !== 0n))
      .map((d) => row(d.department, d.before, d.after, d.delta)),
    row("total", cost.total.before, cost.total.after, cost.total.delta),
  ];
}

const costHead = (cost: PlanCost): string[] => [
  "department",
  ...cost.models.flatMap((m) => [`${m} before`, `${m} after`, `${m} Δ/month`]),
];

function unpricedLines(cost: PlanCost): string[] {
  return cost.unpriced.map((u) => `${u.count} × ${u.type}: no monthly ${u.model} (priced by usage, or unknown)`);
}

export function renderPlanCost(cost: PlanCost): string {
  const t = new Table({
    head: costHead(cost),
    style: { head: [], border: [], compact: true },
    chars: { mid: "", "left-mid": "", "mid-mid": "", "right-mid": "" },
    colAligns: costHead(cost).map((_, i) => (i === 0 ? "left" : "right")),
  });
  t.push(...costRows(cost));
  const lines = ["Monthly cost (EUR, 730-hour month), departments whose cost changes:", "", t.toString()];
  for (const line of unpricedLines(cost)) lines.push(`not priced: ${line}`);
  return lines.join("\n") + "\n";
}

const cell = (text: string): string => text.replace(/\|/g, "\\|");
function markdownTable(head: string[], rows: string[][], rightFrom = 1): string[] {
  const align = head.map((_, i) => (i >= rightFrom ? "---:" : "---"));
  return [head, align, ...rows].map((r, i) => `| ${(i === 1 ? r : r.map(cell)).join(" | ")} |`);
}

const symbols = { add: "+", remove: "-", change: "~" } as const;

/** The comparison and its cost as one Markdown document, for a pull-request comment. */
export function renderComparisonMarkdown(
  comparison: PlanComparison,
  cost: PlanCost | undefined,
  labels: { before: string; after: string },
): string {
  const lines = [`### muniops plan: changes from \`${labels.before}\` to \`${labels.after}\``, ""];
  if (comparison.changes.length === 0) lines.push("No resources change.", "");
  else {
    const counts = comparison.byDepartment.map((d) => [
      d.department,
      String(d.add),
      String(d.remove),
      String(d.change),
    ]);
    lines.push(...markdownTable(["department", "add", "remove", "change"], counts), "");
  }
  if (cost) {
    lines.push("#### Monthly cost (EUR, 730-hour month)", "");
    lines.push(...markdownTable(costHead(cost), costRows(cost)), "");
    for (const line of unpricedLines(cost)) lines.push(`- not priced: ${line}`);
    if (cost.unpriced.length > 0) lines.push("");
  }
  if (comparison.changes.length > 0) {
    lines.push("<details><summary>Resources</summary>", "");
    for (const c of comparison.changes) {
      const paths =
        c.kind === "change"
          ? ` (${c.paths
              .slice(0, 6)
              .map((p) => `\`${p}\``)
              .join(", ")})`
          : "";
      lines.push(`- \`${symbols[c.kind]}\` **${c.department}** \`${c.type}\` ${c.name}${paths}`);
    }
    lines.push("", "</details>", "");
  }
  return lines.join("\n");
}
