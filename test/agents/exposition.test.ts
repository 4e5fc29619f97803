import { describe, expect, it } from "vitest";
import {
  counter,
  formatOpenMetrics,
  formatText,
  gauge,
  mergeFamilies,
  wantsOpenMetrics,
} from "../../agents/exposition.js";

describe("exposition", () => {
  const families = mergeFamilies([
    counter("muniops_x_bytes_total", "Bytes.\nSecond line with \\ backslash.", [
      { labels: { device: 'a"b\\c\nd' }, value: 1 },
    ]),
    gauge("muniops_a", "A gauge.", [{ value: NaN }]),
    gauge("muniops_scrape_collector_success", "Success.", [{ labels: { collector: "cpu" }, value: 1 }]),
    gauge("muniops_scrape_collector_success", "Success.", [{ labels: { collector: "memory" }, value: 0 }]),
  ]);

  it("writes the text format with escaping, sorted families and merged duplicates", () => {
    expect(formatText(families)).toBe(
      [
        "# HELP muniops_a A gauge.",
        "# TYPE muniops_a gauge",
        "muniops_a NaN",
        "# HELP muniops_scrape_collector_success Success.",
        "# TYPE muniops_scrape_collector_success gauge",
        'muniops_scrape_collector_success{collector="cpu"} 1',
        'muniops_scrape_collector_success{collector="memory"} 0',
        "# HELP muniops_x_bytes_total Bytes.\\nSecond line with \\\\ backslash.",
        "# TYPE muniops_x_bytes_total counter",
        'muniops_x_bytes_total{device="a\\"b\\\\c\\nd"} 1',
        "",
      ].join("\n"),
    );
  });

  it("writes OpenMetrics with counter families named without _total and a final # EOF", () => {
    const text = formatOpenMetrics(families);
    expect(text).toContain("# TYPE muniops_x_bytes counter\n");
    expect(text).toContain('muniops_x_bytes_total{device="a\\"b\\\\c\\nd"} 1\n');
    expect(text.endsWith("# EOF\n")).toBe(true);
  });

  it("picks OpenMetrics from Prometheus's Accept header, not from a plain one", () => {
    expect(
      wantsOpenMetrics("application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"),
    ).toBe(true);
    expect(wantsOpenMetrics("text/plain;version=0.0.4")).toBe(false);
    expect(wantsOpenMetrics("application/openmetrics-text;q=0")).toBe(false);
    expect(wantsOpenMetrics(undefined)).toBe(false);
  });
});
