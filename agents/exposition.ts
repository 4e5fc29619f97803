// The Prometheus exposition formats, written directly: a scrape builds plain metric families and this
// module turns them into text. prom-client's registry would do it too, but it keeps state between scrapes
// (which is exactly what an exporter must not do: each scrape reports what the kernel says now) and
// measured several times slower for ~150 series.

/** The agent's own metrics are counters and gauges; the others pass through from textfiles. */
export type MetricType = "counter" | "gauge" | "untyped" | "histogram" | "summary";

export interface Sample {
  /** Only where it differs from the family's name: a histogram's `_bucket`, `_sum` and `_count`. */
  name?: string;
  labels?: Readonly<Record<string, string>>;
  value: number;
}

export interface MetricFamily {
  /** The full name; counters end in `_total`, as the text format wants them. */
  name: string;
  help: string;
  type: MetricType;
  samples: Sample[];
}

export const textContentType = "text/plain; version=0.0.4; charset=utf-8";
export const openMetricsContentType = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/** Whether the scraper's Accept header asks for OpenMetrics (Prometheus sends it first when it can). */
export function wantsOpenMetrics(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(",").some((part) => {
    const [mediaType, ...params] = part.split(";").map((s) => s.trim());
    if (mediaType !== "application/openmetrics-text") return false;
    const q = params.find((p) => p.startsWith("q="));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

export function gauge(name: string, help: string, samples: Sample[]): MetricFamily {
  return { name, help, type: "gauge", samples };
}

export function counter(name: string, help: string, samples: Sample[]): MetricFamily {
  return { name, help, type: "counter", samples };
}

/**
 * Families with the same name (the per-collector scrape metrics, or two collectors that share a family)
 * are merged, because both formats require each family to appear once. Families are sorted by name and
 * samples keep their collector's order, so the output is stable from scrape to scrape.
 */
export function mergeFamilies(families: Iterable<MetricFamily>): MetricFamily[] {
  const byName = new Map<string, MetricFamily>();
  for (const family of families) {
    const existing = byName.get(family.name);
    if (existing) existing.samples.push(...family.samples);
    else byName.set(family.name, { ...family, samples: [...family.samples] });
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function formatText(families: readonly MetricFamily[]): string {
  let out = "";
  for (const family of families) {
    if (family.samples.length === 0) continue;
    out += `# HELP ${family.name} ${escapeHelp(family.help)}\n# TYPE ${family.name} ${family.type}\n`;
    for (const sample of family.samples)
      out += `${sample.name ?? family.name}${formatLabels(sample.labels)} ${formatValue(sample.value)}\n`;
  }
  return out;
}

/** OpenMetrics 1.0: a counter family is named without `_total`, its samples with it, and the text ends in `# EOF`. */
export function formatOpenMetrics(families: readonly MetricFamily[]): string {
  let out = "";
  for (const family of families) {
    if (family.samples.length === 0) continue;
    const familyName = family.type === "counter" ? family.name.replace(/_total$/, "") : family.name;
    const sampleName = family.type === "counter" ? `${familyName}_total` : family.name;
    out +=
      `# TYPE ${familyName} ${family.type === "untyped" ? "unknown" : family.type}\n# HELP ${familyName} ` +
      `${escapeLabelValue(family.help)}\n`;
    for (const sample of family.samples)
      out += `${sample.name ?? sampleName}${formatLabels(sample.labels)} ${formatValue(sample.value)}\n`;
  }
  return out + "# EOF\n";
}

function formatLabels(labels: Readonly<Record<string, string>> | undefined): string {
  if (!labels) return "";
  let out = "";
  for (const key in labels) out += `${out ? "," : ""}${key}="${escapeLabelValue(labels[key] ?? "")}"`;
  return out ? `{${out}}` : "";
}

export function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return String(value);
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

function escapeLabelValue(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}
