// Builds the standalone agent: esbuild bundles agents/agentMain.ts and every dependency into one ESM file
// that runs on Node.js ≥ 20 with nothing installed beside it. `npm run build` calls this (see package.json).
//
// The file is ESM. Node 20.19+ detects that on its own; on older Node 20 releases install it under a
// `.mjs` name (the rollout does), since a `.js` file without a package.json would be read as CommonJS.
import { chmod, mkdir, stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { packageRoot, packageVersion } from "../packageInfo.js";

export interface AgentBundleOptions {
  outFile: string;
  version: string;
}

export async function buildAgentBundle({ outFile, version }: AgentBundleOptions): Promise<void> {
  await mkdir(dirname(resolve(outFile)), { recursive: true });
  await build({
    entryPoints: [join(packageRoot(), "agents", "agentMain.ts")],
    outfile: outFile,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    minify: true,
    legalComments: "none",
    logLevel: "error",
    define: { __MUNIOPS_AGENT_VERSION__: JSON.stringify(version) },
    // CommonJS dependencies call require() for Node's built-ins; give the ESM bundle one.
    banner: { js: "#!/usr/bin/env node\nimport { createRequire as __muniopsCreateRequire } from 'node:module'; const require = __muniopsCreateRequire(import.meta.url);" },
  });
  await chmod(outFile, 0o755);
}

// `node dist/agents/bundle.js [outFile]`, as `npm run build` runs it.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outFile = process.argv[2] ?? join(packageRoot(), "dist", "muniops-agent.js");
  await buildAgentBundle({ outFile, version: packageVersion() });
  const { size } = await stat(outFile);
  console.log(`${outFile}: ${(size / 1024).toFixed(0)} KiB`);
}
