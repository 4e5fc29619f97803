// Builds the standalone agent: esbuild bundles agents/agentMain.ts and every dependency into one ESM file
// that runs on Node.js ≥ 20 with nothing installed beside it. `npm run build` calls this (see package.json).
//
// The file is ESM. Node 20.19+ detects that on its own; on older Node 20 releases install it under a
// `.mjs` name (the rollout does), since a `.js` file without a package.json would be read as CommonJS.
import { chmod, mkdir, stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "esbuild";
import { packageRoot, packageVersion } from "../packageInfo.js";

/**
 * The standalone agent runs under systemd or as a Windows service, where logs are JSON lines anyway;
 * leaving pino-pretty (and its dependencies) out saves ~5 MB of resident memory on every server.
 * On a terminal the agent then logs JSON too.
 */
const plainLogsPlugin: Plugin = {
  name: "muniops-plain-logs",
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^pino-pretty$/ }, () => ({ path: "pino-pretty", namespace: "muniops-stub" }));
    pluginBuild.onLoad({ filter: /.*/, namespace: "muniops-stub" }, () => ({
      contents: "export default function pretty() { return { write(line) { process.stderr.write(line); } }; }",
      loader: "js",
    }));
  },
};

/**
 * bcryptjs imports Node's crypto at its top (a fallback for randomBytes where Web Crypto is missing), and
 * esbuild hoists that import to the top of the bundle even though the agent imports bcryptjs lazily, only
 * for basic auth. Hand it a stand-in that requires node:crypto on first use, so agents without basic
 * auth never load OpenSSL's bindings.
 */
const lazyCryptoForBcryptPlugin: Plugin = {
  name: "muniops-lazy-crypto",
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^(node:)?crypto$/ }, (args) =>
      /[\\/]node_modules[\\/]bcryptjs[\\/]/.test(args.importer)
        ? { path: "lazy-crypto", namespace: "muniops-lazy-crypto" }
        : undefined,
    );
    pluginBuild.onLoad({ filter: /.*/, namespace: "muniops-lazy-crypto" }, () => ({
      contents: "export default { randomBytes: (length) => require('node:crypto').randomBytes(length) };",
      loader: "js",
    }));
  },
};

/**
 * zod's namespace re-exports all of its ~60 translated error-message sets (`z.locales`), a fifth of the
 * bundle that every start parses. The agent's messages are English, which zod configures by default:
 * keep `en` and leave the other translations out.
 */
const englishOnlyZodPlugin: Plugin = {
  name: "muniops-zod-english-only",
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer)
        ? { path: join(dirname(args.importer), "..", "locales", "index.js"), namespace: "muniops-zod-locales" }
        : undefined,
    );
    pluginBuild.onLoad({ filter: /.*/, namespace: "muniops-zod-locales" }, (args) => ({
      contents: 'export { default as en } from "./en.js";',
      resolveDir: dirname(args.path),
      loader: "js",
    }));
  },
};

/**
 * settings.ts imports the YAML parser at its top, for the config file most agents never have; evaluating it
 * at start costs ~1 MB of resident memory. In the bundle, our own modules get a facade that requires the
 * parser (bundled as a lazily evaluated CommonJS module) on first use. A name missing from the facade fails
 * the build.
 */
const lazyYamlPlugin: Plugin = {
  name: "muniops-lazy-yaml",
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^yaml$/ }, (args) =>
      args.namespace === "file" && !/[\\/]node_modules[\\/]/.test(args.importer)
        ? { path: "yaml", namespace: "muniops-lazy-yaml" }
        : undefined,
    );
    pluginBuild.onLoad({ filter: /.*/, namespace: "muniops-lazy-yaml" }, () => ({
      contents: [
        "let loaded; const yaml = () => (loaded ??= require('yaml'));",
        "export const parse = (...args) => yaml().parse(...args);",
        "export const parseDocument = (...args) => yaml().parseDocument(...args);",
        "export const isMap = (node) => yaml().isMap(node);",
        "export const isScalar = (node) => yaml().isScalar(node);",
        "export function LineCounter() { return new (yaml().LineCounter)(); }",
      ].join("\n"),
      resolveDir: packageRoot(),
      loader: "js",
    }));
  },
};

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
    plugins: [plainLogsPlugin, lazyCryptoForBcryptPlugin, englishOnlyZodPlugin, lazyYamlPlugin],
    // CommonJS dependencies call require() for Node's built-ins; give the ESM bundle one. And keep V8's
    // young generation at its initial 1 MB semi-spaces: by default it doubles them under the steady
    // trickle of scrape garbage, 6 MB more resident memory after 200 scrapes. --max-semi-space-size
    // cannot do this from here (V8 sizes the heap when the isolate is created, before any script runs:
    // measured, no effect), but the growth factor is read at every growth, so setting it to 1 does.
    // The extra scavenges cost well under a millisecond per scrape.
    // And leave TurboFan off: its compiler zones (malloc arenas of its worker threads, kept by glibc) and
    // its own code pages cost ~8 MB of resident memory, for nothing here: a scrape's CPU time is mostly
    // system calls, and measured over 2,000 scrapes it is the same with Ignition and Sparkplug alone
    // (1.2-1.3 ms). Unlike heap sizes, V8 reads this flag at every tiering decision, so it works from here.
    banner: {
      js: [
        "#!/usr/bin/env node",
        "import { createRequire as __muniopsCreateRequire } from 'node:module'; const require = " +
          "__muniopsCreateRequire(import.meta.url);",
        "import { setFlagsFromString as __muniopsV8Flags } from 'node:v8'; " +
          "__muniopsV8Flags('--semi-space-growth-factor=1 --no-opt');",
      ].join("\n"),
    },
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
