// The README's generated configuration reference stays in step with the settings the code declares.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { configReferenceMarkdown, referenceEnd, referenceSection, referenceStart, spliceReference } from "../configReference.js";
import { buildProgram } from "../muniops.js";
import { allSettings, envNameFor, z, type Setting } from "../settings.js";
import { repoRoot, runCli } from "./helpers/cli.js";

const readme = (): string => readFileSync(join(repoRoot, "README.md"), "utf8");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name.startsWith(".") || ["node_modules", "dist", "test", "bench", "data"].includes(entry.name)) return [];
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(path) : entry.name.endsWith(".ts") ? [path] : [];
  });
}

function setting(key: string, schema: z.ZodType, extra: Partial<Setting> = {}): Setting {
  return { key, type: "string", schema, description: key, env: envNameFor(key), ...extra };
}

describe("README configuration reference", () => {
  it("is the reference generated from the declared settings (else run `npm run docs`)", () => {
    buildProgram(); // loads every part's settings, as `muniops config reference` does
    const expected = referenceSection(spliceReference(`${referenceStart}\n${referenceEnd}`, configReferenceMarkdown(), "README.md"));
    const actual = referenceSection(readme());
    expect(actual, "README.md has no <!-- config-reference:start/end --> section").toBeDefined();
    expect(actual === expected, "README.md's configuration reference is stale: run `npm run docs` and commit README.md").toBe(true);
  });

  it("covers every setting declared anywhere in the sources, also in modules the CLI imports lazily", () => {
    buildProgram();
    const declared = sourceFiles(repoRoot).flatMap((file) =>
      [...readFileSync(file, "utf8").matchAll(/defineSetting\(\s*\{\s*key:\s*"([^"]+)"/g)].map((m) => ({ key: m[1] ?? "", file: relative(repoRoot, file) })),
    );
    expect(declared.length).toBeGreaterThan(20);
    const loaded = new Set(allSettings().map((s) => s.key));
    expect(declared.filter((d) => !loaded.has(d.key))).toEqual([]);
  });

  it("documents valid values from the zod schema, escaping what Markdown would eat", () => {
    const markdown = configReferenceMarkdown([
      setting("demo.port", z.number().int().min(1).max(65535), { type: "integer", default: 8080, flag: "--port" }),
      setting("demo.keepDays", z.number().int().min(62), { type: "integer" }),
      setting("demo.format", z.enum(["table", "json"]), { default: "table" }),
      setting("demo.ttl", z.string().regex(/^\d+(ms|s|m|h|d)$/), { type: "duration", default: "8h" }),
      setting("demo.exclude", z.string(), { default: "^(ram|loop)$", description: "devices to leave out, see --collector.<id> and *.prom" }),
      setting("demo.password", z.string(), { secret: true }),
      setting("databaseUrl", z.url()),
    ]);
    expect(markdown.indexOf("#### General")).toBeLessThan(markdown.indexOf("#### `demo.*`"));
    expect(markdown).toContain("| `demo.port` | `--port` | `MUNIOPS_DEMO_PORT` | integer 1–65535 | `8080` | demo.port |");
    expect(markdown).toContain("| integer ≥ 62 | – |");
    expect(markdown).toContain("| one of `table`, `json` | `\"table\"` |");
    expect(markdown).toContain("| duration: a whole number and `ms`, `s`, `m`, `h`, `d` | `\"8h\"` |");
    expect(markdown).toContain("| `\"^(ram\\|loop)$\"` | devices to leave out, see --collector.\\<id\\> and \\*.prom |");
    expect(markdown).toContain("| `demo.password` | – | `MUNIOPS_DEMO_PASSWORD` | text (secret: never echoed) | – |");
    expect(markdown).toContain("| `databaseUrl` | – | `MUNIOPS_DATABASE_URL` | URL |");
  });

  it("`config reference --readme FILE` rewrites only the marked section, and is idempotent", async () => {
    const dir = mkdtempSync(join(tmpdir(), "muniops-readme-"));
    const file = join(dir, "README.md");
    writeFileSync(file, `# title\n\nbefore\n\n${referenceStart}\nstale table\n${referenceEnd}\n\nafter\n`);
    const first = await runCli(["config", "reference", "--readme", file]);
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(`${file}: configuration reference updated\n`);
    const text = readFileSync(file, "utf8");
    expect(text.startsWith("# title\n\nbefore\n\n")).toBe(true);
    expect(text.endsWith(`${referenceEnd}\n\nafter\n`)).toBe(true);
    expect(text).not.toContain("stale table");
    expect(text).toContain("| `logLevel` | `--log-level` | `MUNIOPS_LOG_LEVEL` | one of `trace`,");
    const second = await runCli(["config", "reference", "--readme", file]);
    expect(second.stdout).toBe(`${file}: configuration reference already up to date\n`);
    expect(readFileSync(file, "utf8")).toBe(text);
  });

  it("a file without the markers is a usage error naming the file and the markers", async () => {
    const dir = mkdtempSync(join(tmpdir(), "muniops-readme-"));
    const file = join(dir, "NOTES.md");
    writeFileSync(file, "# notes\n");
    const result = await runCli(["config", "reference", "--readme", file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`muniops: NOTES.md has no configuration reference section: add the lines ${referenceStart} and ${referenceEnd} where it belongs\n`);
    expect(readFileSync(file, "utf8")).toBe("# notes\n");
  });
});
