// Renders the mixin to plain files in agents/mixin/rendered/, for people without Node.js or jsonnet:
//   npx tsx agents/mixin/render.ts
// A test checks that the checked-in files equal what this renders, so they cannot drift from config.ts.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { stringify } from "yaml";
import { dashboards } from "./dashboards.js";
import { dashboardProvisioning, datasourceProvisioning } from "./provisioning.js";
import { ruleGroups } from "./rules.js";
import { dashboardRuleGroups } from "./dashboardRules.js";

const header =
  "# Generated from agents/mixin/*.ts by `npx tsx agents/mixin/render.ts`; edit config.ts and re-render.\n";

/** Every rendered file by its path relative to rendered/. */
export function renderedMixin(): Map<string, string> {
  const files = new Map<string, string>();
  files.set("prometheus-rules.yml", header + stringify(ruleGroups(), { lineWidth: 0 }));
  files.set("dashboard-rules.yml", header + stringify(dashboardRuleGroups(), { lineWidth: 0 }));
  for (const [name, board] of dashboards()) files.set(join("dashboards", name), JSON.stringify(board, null, 2) + "\n");
  files.set(join("provisioning", "datasources", "muniops.yml"), header + stringify(datasourceProvisioning()));
  files.set(join("provisioning", "dashboards", "muniops.yml"), header + stringify(dashboardProvisioning()));
  return files;
}

export const renderedDirectory = join(dirname(fileURLToPath(import.meta.url)), "rendered");

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const [relative, text] of renderedMixin()) {
    const path = join(renderedDirectory, relative);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    console.log(path);
  }
}
