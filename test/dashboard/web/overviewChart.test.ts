// The overview's chart script, run against a stand-in Chart.js that records what it is asked to draw:
// with the demo's 19 departments every bar keeps its label (no autoSkip) and the chart grows to fit.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runInNewContext } from "node:vm";
import { describe, expect, test } from "vitest";
import { repoRoot } from "../../helpers/cli.js";

interface ChartConfig {
  type: string;
  data: { labels: string[] };
  options: { indexAxis?: string; scales: Record<string, { ticks?: { autoSkip?: boolean } }> };
}

const script = readFileSync(join(repoRoot, "dashboard/web/assets/overview.js"), "utf8");

function draw(departments: number): { charts: Map<string, ChartConfig>; heights: Map<string, string> } {
  const names = Array.from({ length: departments }, (_, i) => `Afdeling ${i + 1} met een lange naam`);
  const data = {
    departments: { labels: names, values: names.map((_, i) => 1000 * (i + 1)), label: "Totaal" },
    trend: {
      labels: Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, "0")}`),
      values: Array.from({ length: 12 }, () => 215_000),
      label: "Totaal",
    },
    budget: {
      labels: names,
      series: [
        { label: "Prognose", values: names.map(() => 1) },
        { label: "Budget", values: names.map(() => 2) },
      ],
    },
    locale: "nl-NL",
  };
  const charts = new Map<string, ChartConfig>();
  const heights = new Map<string, string>();
  const canvas = (id: string) => {
    const style: { height?: string } = {};
    return {
      id,
      parentNode: {
        style: new Proxy(style, {
          set: (_t, key, value: string) => (key === "height" && heights.set(id, value), true),
        }),
      },
    };
  };
  const elements: Record<string, unknown> = {
    "chart-data": { textContent: JSON.stringify(data) },
    "department-chart": canvas("department-chart"),
    "trend-chart": canvas("trend-chart"),
    "budget-chart": canvas("budget-chart"),
  };
  // called with `new` by the script; only what it passes matters
  const Chart = Object.assign(
    function (element: { id: string }, config: ChartConfig): void {
      charts.set(element.id, config);
    },
    { defaults: { font: {} } },
  );
  runInNewContext(script, {
    Chart,
    document: {
      getElementById: (id: string) => elements[id] ?? null,
      documentElement: { setAttribute: () => undefined },
    },
  });
  return { charts, heights };
}

describe("overview charts", () => {
  test("every department is labelled on the category axis, and the bar charts grow with their rows", () => {
    const { charts, heights } = draw(19);
    for (const id of ["department-chart", "budget-chart"]) {
      const config = charts.get(id);
      expect(config?.options.indexAxis, id).toBe("y");
      expect(config?.data.labels, id).toHaveLength(19);
      expect(config?.options.scales.y?.ticks?.autoSkip, id).toBe(false);
    }
    expect(charts.get("trend-chart")?.options.scales.x?.ticks?.autoSkip).toBe(false);
    const few = draw(3).heights;
    for (const id of ["department-chart", "budget-chart"]) {
      // at least 20 px per department, and more departments make a taller chart
      expect(Number.parseInt(heights.get(id) ?? "0", 10), id).toBeGreaterThanOrEqual(19 * 20);
      expect(Number.parseInt(heights.get(id) ?? "0", 10), id).toBeGreaterThan(Number.parseInt(few.get(id) ?? "0", 10));
    }
  });
});
