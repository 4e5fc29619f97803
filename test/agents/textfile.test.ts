// The textfile collector: *.prom files from scripts are exported; a malformed one is skipped and
// reported as muniops_textfile_scrape_error 1 while the others are still exported.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readTextfiles } from "../../agents/collectors/textfile.js";
import { formatText, mergeFamilies } from "../../agents/exposition.js";
import { parseTextFormat } from "../../agents/textFormat.js";
import { repoRoot } from "../helpers/cli.js";
import { parseSamples } from "./scrapeHelpers.js";

const dir = mkdtempSync(join(tmpdir(), "muniops-textfile-"));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function scrape(directory: string): Promise<ReturnType<typeof parseSamples>> {
  return parseSamples(formatText(mergeFamilies(await readTextfiles(directory))));
}

describe("textfile collector", () => {
  it("exports well-formed files with scrape_error 0", async () => {
    const good = join(dir, "good");
    cpSync(join(repoRoot, "test", "fixtures", "agent", "textfile"), good, { recursive: true });
    const samples = await scrape(good);
    expect(
      samples.filter((s) => s.name === "muniops_licence_seats_assigned").map((s) => [s.labels.product, s.value]),
    ).toEqual([
      ["centric-burgerzaken", 42],
      ["esri-arcgis", 7],
    ]);
    expect(samples.find((s) => s.name === "muniops_textfile_scrape_error")?.value).toBe(0);
    expect(samples.find((s) => s.name === "muniops_textfile_mtime_seconds")?.labels.file).toBe(
      join(good, "licences.prom"),
    );
  });

  it("skips a malformed file, reports scrape_error 1, and still exports the others", async () => {
    const mixed = join(dir, "mixed");
    cpSync(join(repoRoot, "test", "fixtures", "agent", "textfile"), mixed, { recursive: true });
    writeFileSync(
      join(mixed, "broken.prom"),
      'muniops_backup_last_success_timestamp_seconds{job="nightly" 1700000000\n',
    );
    writeFileSync(join(mixed, "ignored.txt"), "not a prom file\n");
    const samples = await scrape(mixed);
    expect(samples.find((s) => s.name === "muniops_textfile_scrape_error")?.value).toBe(1);
    expect(samples.filter((s) => s.name === "muniops_licence_seats_assigned")).toHaveLength(2);
    expect(samples.some((s) => s.name === "muniops_backup_last_success_timestamp_seconds")).toBe(false);
  });

  it("reports scrape_error 1 when the directory is missing", async () => {
    const samples = await scrape(join(dir, "missing"));
    expect(samples.find((s) => s.name === "muniops_textfile_scrape_error")?.value).toBe(1);
  });
});

describe("parseTextFormat", () => {
  it("keeps histogram samples in their family", () => {
    const [family] = parseTextFormat(
      '# TYPE job_duration_seconds histogram\njob_duration_seconds_bucket{le="1"} ' +
        '2\njob_duration_seconds_bucket{le="+Inf"} 3\njob_duration_seconds_sum 4.5\njob_duration_seconds_count ' +
        "3\n",
    );
    expect(family?.type).toBe("histogram");
    expect(family?.samples.map((s) => s.name)).toEqual([
      "job_duration_seconds_bucket",
      "job_duration_seconds_bucket",
      "job_duration_seconds_sum",
      "job_duration_seconds_count",
    ]);
  });

  it.each([
    ["a timestamp", "x 1 1700000000\n", /timestamps are not supported/],
    ["a bad value", "x one\n", /invalid value/],
    ["an unknown type", "# TYPE x meter\nx 1\n", /unknown metric type/],
    ["a duplicate series", 'x{a="1"} 1\nx{a="1"} 2\n', /duplicate series/],
    ["an unterminated label", 'x{a="1} 1\n', /unterminated label value|expected/],
  ])("rejects %s", (_what, text, message) => {
    expect(() => parseTextFormat(text)).toThrow(message);
  });
});
