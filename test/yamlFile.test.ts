// Every YAML file muniops reads goes through one reader: bounded in bytes and in alias expansions, and
// naming the file in every error: missing, a directory, too big, an alias bomb, a syntax error (line and
// column). Each reader is tried with each, as a user would hand it over.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Ledger } from "../dashboard/data-access/database.js";
import { importMasterDataFile } from "../dashboard/app/ledgerImport.js";
import { parseYamlFile } from "../dashboard/domain/masterDataFile.js";
import { loadWaivers } from "../policies/waivers.js";
import { resolveSettings } from "../settings.js";
import { readStackFile } from "../stacks/stackFile.js";
import { runCli } from "./helpers/cli.js";
import { YamlFileError, readYamlFile } from "../yamlFile.js";

const dir = mkdtempSync(join(tmpdir(), "muniops-yaml-"));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** "Billion laughs": nine levels of nine aliases each, 387 million strings once expanded, 700 bytes here. */
const aliasBomb = (top: string): string => {
  const lines = ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 9; i++) lines.push(`l${i}: &l${i} [${Array.from({ length: 9 }, () => `*l${i - 1}`).join(",")}]`);
  return `${top}\n${lines.map((l) => `  ${l}`).join("\n")}\n`;
};

const folder = join(dir, "a-directory.yaml");
mkdirSync(folder);
const bombMessage = "it needs more than 100 YAML alias expansions (an alias bomb?)";
const isDirectory = "it is a directory, not a YAML file";

describe("the shared YAML reader", () => {
  it("names the file for a missing file, a directory, a file too big, and an alias bomb", () => {
    const missing = join(dir, "nope.yaml");
    expect(() => readYamlFile(missing, "test file")).toThrow(`couldn't read test file ${missing}: no such file`);
    expect(() => readYamlFile(folder, "test file")).toThrow(`couldn't read test file ${folder}: ${isDirectory}`);
    const big = file("big.yaml", `# ${"x".repeat(2000)}\n`);
    const tooBig = "it has 2003 bytes, more than the 1000 bytes a test file may have";
    expect(() => readYamlFile(big, "test file", { maxBytes: 1000 })).toThrow(
      `couldn't read test file ${big}: ${tooBig}`,
    );
    const bomb = file("bomb.yaml", aliasBomb("bomb:"));
    const error = (() => {
      try {
        readYamlFile(bomb, "test file");
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(YamlFileError);
    expect((error as Error).message).toBe(`couldn't read test file ${bomb}: ${bombMessage}`);
  });

  it("gives syntax errors with line and column, and lets a few aliases through", () => {
    const broken = readYamlFile(file("broken.yaml", "a: 1\nb: [1,\n"), "test file");
    expect(broken.errors[0]).toMatchObject({ line: 3, col: 1 });
    expect(broken.errors[0]?.message).toMatch(/^YAML syntax error at column 1: /);
    const anchors = readYamlFile(file("anchors.yaml", "base: &b { x: 1 }\nother: *b\n"), "test file");
    expect(anchors.errors).toEqual([]);
    expect(anchors.doc.toJS()).toEqual({ base: { x: 1 }, other: { x: 1 } });
  });
});

describe("each YAML file muniops reads", () => {
  it("--config: a directory and an alias bomb are named (CLI, exit 2)", async () => {
    const asDirectory = await runCli(["--config", folder, "config", "reference"]);
    expect(asDirectory.code).toBe(2);
    expect(asDirectory.stderr).toBe(`muniops: couldn't read config file ${folder}: ${isDirectory}\n`);
    const bomb = file("muniops-bomb.yaml", aliasBomb("logLevel: info\nx:"));
    const bombed = await runCli(["config", "check", bomb]);
    expect(bombed.code).toBe(2);
    expect(bombed.stderr).toBe(`muniops: couldn't read config file ${bomb}: ${bombMessage}\n`);
  });

  it("a config file's syntax error carries line and column", () => {
    const path = file("muniops.yaml", "logLevel: info\nx: [1,\n");
    const syntax = /muniops\.yaml:3: \(file\): YAML syntax error at column 1: /;
    expect(() => resolveSettings({}, { env: {}, configFile: path })).toThrow(syntax);
  });

  it("waivers, stack settings and master data name the file", async () => {
    expect(() => loadWaivers(folder)).toThrow(`couldn't read waivers file ${folder}: ${isDirectory}`);
    const waivers = file("waivers.yaml", aliasBomb("schemaVersion: 1\nwaivers:\n  - id: w\nx:"));
    expect(() => loadWaivers(waivers)).toThrow(`couldn't read waivers file ${waivers}: ${bombMessage}`);
    const stack = file("Pulumi.bomb.yaml", aliasBomb("config:\n  muniops:organization: x\nx:"));
    expect(() => readStackFile(stack)).toThrow(`couldn't read stack settings ${stack}: ${bombMessage}`);
    const upload = aliasBomb("departments: []\nx:");
    expect(() => parseYamlFile(upload, "upload.yaml")).toThrow(
      `couldn't read master data file upload.yaml: ${bombMessage}`,
    );
    const noLedger = {} as Ledger; // the file is refused before the ledger is touched
    const imported = importMasterDataFile(noLedger, folder, { actor: "t" });
    await expect(imported).rejects.toThrow(`couldn't read YAML file ${folder}: ${isDirectory}`);
  });
});
