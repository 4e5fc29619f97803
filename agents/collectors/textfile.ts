// textfile: metrics that scripts write to *.prom files (licence counts per server, backup results).
// Each file is parsed strictly; a malformed one is skipped and reported as muniops_textfile_scrape_error 1,
// and the other files are still exported. Scripts should write to a temporary name and rename, so the
// agent never reads half a file.
import { readFile, readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { registerCollector } from "../collector.js";
import { gauge, type MetricFamily, type Sample } from "../exposition.js";
import { defineSetting, z } from "../../settings.js";
import { logger } from "../../logger.js";
import { parseTextFormat } from "../textFormat.js";
import { agentMetrics } from "../../contracts/metrics.js";

const settings = {
  directory: defineSetting({
    key: "agent.collector.textfile.directory",
    type: "string",
    schema: z.string(),
    default: "",
    flag: "--collector.textfile.directory",
    description: "directory to read *.prom files from (none when empty)",
  }),
};

export async function readTextfiles(directory: string): Promise<MetricFamily[]> {
  let names: string[];
  let error = false;
  try {
    names = (await readdir(directory)).filter((n) => n.endsWith(".prom")).sort();
  } catch (err) {
    logger().warn(
      { directory, err: err instanceof Error ? err.message : String(err) },
      "couldn't read the textfile directory",
    );
    names = [];
    error = true;
  }
  const families: MetricFamily[] = [];
  const mtimes: Sample[] = [];
  for (const name of names) {
    const path = join(directory, name);
    try {
      const [text, info] = await Promise.all([readFile(path, "utf8"), stat(path)]);
      const parsed = parseTextFormat(text);
      for (const family of parsed) {
        if (family.help === "") family.help = `Metric read from ${path}.`;
      }
      families.push(...parsed);
      mtimes.push({ labels: { file: path }, value: Math.round(info.mtimeMs) / 1000 });
    } catch (err) {
      logger().warn(
        { file: path, err: err instanceof Error ? err.message : String(err) },
        "skipping malformed textfile",
      );
      error = true;
    }
  }
  families.push(
    gauge("muniops_textfile_mtime_seconds", "Modification time of each textfile that was read.", mtimes),
    gauge(agentMetrics.textfileScrapeError.name, agentMetrics.textfileScrapeError.help, [{ value: error ? 1 : 0 }]),
  );
  return families;
}

registerCollector({
  id: "textfile",
  defaultEnabled: true,
  description: "metrics from *.prom files in --collector.textfile.directory",
  settings,
  create(options) {
    return {
      async update() {
        return options.directory === "" ? [] : readTextfiles(options.directory);
      },
    };
  },
});
