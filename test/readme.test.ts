// The README stays true: its generated configuration reference matches the settings the code declares,
// and every `muniops` command it shows names real subcommands and flags.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import {
  configReferenceMarkdown,
  referenceEnd,
  referenceSection,
  referenceStart,
  spliceReference,
} from "../configReference.js";
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
    const expected = referenceSection(
      spliceReference(`${referenceStart}\n${referenceEnd}`, configReferenceMarkdown(), "README.md"),
    );
    const actual = referenceSection(readme());
    expect(actual, "README.md has no <!-- config-reference:start/end --> section").toBeDefined();
    expect(
      actual === expected,
      "README.md's configuration reference is stale: run `npm run docs` and commit README.md",
    ).toBe(true);
  });

  it("covers every setting declared anywhere in the sources, also in modules the CLI imports lazily", () => {
    buildProgram();
    const declared = sourceFiles(repoRoot).flatMap((file) =>
      [...readFileSync(file, "utf8").matchAll(/defineSetting\(\s*\{\s*key:\s*"([^"]+)"/g)].map((m) => ({
        key: m[1] ?? "",
        file: relative(repoRoot, file),
      })),
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
      setting("demo.exclude", z.string(), {
        default: "^(ram|loop)$",
        description: "devices to leave out, see --collector.<id> and *.prom",
      }),
      setting("demo.password", z.string(), { secret: true }),
      setting("databaseUrl", z.url()),
    ]);
    expect(markdown.indexOf("#### General")).toBeLessThan(markdown.indexOf("#### `demo.*`"));
    expect(markdown).toContain(
      "| `demo.port` | `--port` | `MUNIOPS_DEMO_PORT` | integer 1–65535 | `8080` | demo.port |",
    );
    expect(markdown).toContain("| integer ≥ 62 | – |");
    expect(markdown).toContain('| one of `table`, `json` | `"table"` |');
    expect(markdown).toContain('| duration: a whole number and `ms`, `s`, `m`, `h`, `d` | `"8h"` |');
    expect(markdown).toContain('| `"^(ram\\|loop)$"` | devices to leave out, see --collector.\\<id\\> and \\*.prom |');
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
    expect(result.stderr).toBe(
      `muniops: NOTES.md has no configuration reference section: add the lines ${referenceStart} and ` +
        `${referenceEnd} where it belongs\n`,
    );
    expect(readFileSync(file, "utf8")).toBe("# notes\n");
  });
});

/** Shell command lines in the README's fenced code blocks, continuation lines joined and comments cut. */
function readmeCommandLines(text: string): string[] {
  const blocks = [...text.matchAll(/^```(?:sh|bash|console|shell)?\n([\s\S]*?)^```/gm)].map((m) => m[1] ?? "");
  return blocks.flatMap((block) =>
    block
      .replace(/\s*\\\n\s*/g, " ")
      .split("\n")
      .map((line) =>
        line
          .replace(/\s#\s.*$/, "")
          .replace(/^npm start --(?= )/, "muniops demo")
          .trim(),
      )
      .filter((line) => /(^|[\s|;(&])(npx )?muniops /.test(line)),
  );
}

/** What is wrong with one README command line: an unknown subcommand or a flag the command doesn't take. */
function problemsOf(line: string, program: Command): string[] {
  const tokens = line.split(/\s+/);
  let command = program;
  let index = tokens.findIndex((t) => t === "muniops") + 1;
  const known = (flag: string): boolean => {
    for (let c: Command | null = command; c; c = c.parent) {
      if (c.options.some((o) => o.long === flag || o.short === flag || (o.negate && o.long === flag))) return true;
    }
    return flag === "--help" || flag === "-h";
  };
  const problems: string[] = [];
  for (; index < tokens.length; index++) {
    const token = (tokens[index] ?? "").replace(/^[[(]+|[\])]+$/g, "");
    // a placeholder (`<command>`, `--collector.<id>`), an alternative, or npm's `--` (`npm run muniops -- plan`)
    if (token.includes("<") || token === "|" || token === "--") continue;
    if (token.startsWith("-") && !/^-\d/.test(token)) {
      const flag = token.split("=")[0] ?? token;
      if (!known(flag)) problems.push(`${line}: ${command.name()} has no option ${flag}`);
      continue;
    }
    const sub = command.commands.find((c) => c.name() === token);
    if (sub) command = sub;
    else if (command === program) {
      problems.push(`${line}: no subcommand ${token}`);
      break;
    }
  }
  return problems;
}

describe("README commands", () => {
  it("name real subcommands and flags", () => {
    const program = buildProgram();
    const lines = readmeCommandLines(readme());
    expect(lines.length).toBeGreaterThan(30);
    expect(lines.flatMap((line) => problemsOf(line, program))).toEqual([]);
  });

  it("the checker catches a made-up subcommand and a made-up flag", () => {
    const program = buildProgram();
    expect(problemsOf("muniops clos --period 2026-10", program)).toEqual([
      "muniops clos --period 2026-10: no subcommand clos",
    ]);
    expect(problemsOf("muniops close --periode 2026-10", program)).toEqual([
      "muniops close --periode 2026-10: close has no option --periode",
    ]);
    expect(problemsOf("printf x | muniops users add beheer --role admin [--dry-run]", program)).toEqual([
      "printf x | muniops users add beheer --role admin [--dry-run]: add has no option --dry-run",
    ]);
    expect(problemsOf("muniops agent [--collector.<id> | --no-collector.cpu] --path.procfs /proc", program)).toEqual(
      [],
    );
    expect(problemsOf("muniops ledger adjust --period 2026-11 --amount -120.00", program)).toEqual([]);
    expect(
      readmeCommandLines("```sh\nnpm start -- --fresh   # comment\nmuniops meter \\\n  --inventory x.json\n```\n"),
    ).toEqual(["muniops demo --fresh", "muniops meter --inventory x.json"]);
  });
});

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, "")
    .replace(/\s/g, "-");
}

describe("README links", () => {
  it("every relative link and image points at a file in the repository, every #anchor at a heading", () => {
    const text = readme();
    const anchors = new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchorOf(m[1] ?? "")));
    const targets = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] ?? "").filter((t) => !/^[a-z]+:/.test(t));
    expect(targets.length).toBeGreaterThan(5);
    const broken = targets.filter((t) =>
      t.startsWith("#") ? !anchors.has(t.slice(1)) : !existsSync(join(repoRoot, t.split("#")[0] ?? "")),
    );
    expect(broken).toEqual([]);
  });
});
