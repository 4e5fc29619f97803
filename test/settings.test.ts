import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../errors.js";
import { addSettingOptions, defineSetting, envNameFor, resolveSettings, z } from "../settings.js";

const port = defineSetting({
  key: "test.settings.port",
  type: "integer",
  schema: z.number().int().min(1).max(65535),
  default: 8080,
  flag: "--port",
  description: "port",
});
const name = defineSetting({
  key: "test.settings.name",
  type: "string",
  schema: z.string().min(1),
  default: "dflt",
  flag: "--name",
  description: "name",
});
const tags = defineSetting({
  key: "test.settings.tags",
  type: "list",
  schema: z.array(z.string()),
  default: [],
  flag: "--tags",
  description: "tags",
});
const verbose = defineSetting({
  key: "test.settings.verbose",
  type: "boolean",
  schema: z.boolean(),
  default: false,
  flag: "--verbose",
  description: "verbose",
});
const group = { port, name, tags, verbose };

function commandWith(args: string[]): Command {
  const command = addSettingOptions(new Command("t").exitOverride(), group);
  command.parse(args, { from: "user" });
  return command;
}

function configFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "muniops-settings-"));
  writeFileSync(join(dir, "muniops.yaml"), text);
  return join(dir, "muniops.yaml");
}

describe("settings", () => {
  it("derives MUNIOPS_* names from dotted camelCase keys", () => {
    expect(envNameFor("databaseUrl")).toBe("MUNIOPS_DATABASE_URL");
    expect(envNameFor("dashboard.listenAddress")).toBe("MUNIOPS_DASHBOARD_LISTEN_ADDRESS");
  });

  it("uses defaults when nothing is set", () => {
    expect(resolveSettings(group, { env: {}, cwd: tmpdir() + "/nonexistent-dir" })).toEqual({
      port: 8080,
      name: "dflt",
      tags: [],
      verbose: false,
    });
  });

  it("applies the precedence flag > environment > file > default", () => {
    const file = configFile("test:\n  settings:\n    port: 1001\n    name: from-file\n    tags: [a, b]\n");
    const env = { MUNIOPS_TEST_SETTINGS_PORT: "1002", MUNIOPS_TEST_SETTINGS_VERBOSE: "true" };
    const resolved = resolveSettings(group, { command: commandWith(["--port", "1003"]), env, configFile: file });
    expect(resolved).toEqual({ port: 1003, name: "from-file", tags: ["a", "b"], verbose: true });
    expect(resolveSettings(group, { command: commandWith([]), env, configFile: file }).port).toBe(1002);
    expect(resolveSettings(group, { command: commandWith([]), env: {}, configFile: file }).port).toBe(1001);
  });

  it("splits comma-separated lists from flags and the environment", () => {
    expect(
      resolveSettings(group, { command: commandWith(["--tags", "x, y"]), env: {}, configFile: configFile("") }).tags,
    ).toEqual(["x", "y"]);
  });

  it("lists every invalid value with its source and path", () => {
    const file = configFile("test:\n  settings:\n    name: ''\n");
    let caught: unknown;
    try {
      resolveSettings(group, {
        command: commandWith(["--port", "99999"]),
        env: { MUNIOPS_TEST_SETTINGS_VERBOSE: "maybe" },
        configFile: file,
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as ConfigError).problems.map((p) => `${p.source} ${p.path}`);
    expect(problems).toEqual([
      "--port test.settings.port",
      file + ":3 test.settings.name",
      "MUNIOPS_TEST_SETTINGS_VERBOSE test.settings.verbose",
    ]);
  });

  it("reports unknown keys in the file with a suggestion", () => {
    const file = configFile("test:\n  settings:\n    prot: 1\n");
    expect(() => resolveSettings(group, { env: {}, configFile: file })).toThrow(
      /:3: test\.settings\.prot: unknown key \(did you mean test\.settings\.port\?\)/,
    );
  });

  it("reports YAML syntax errors with the line", () => {
    const file = configFile("test:\n  settings:\n    port: [1,\n");
    expect(() => resolveSettings(group, { env: {}, configFile: file })).toThrow(
      /muniops\.yaml:\d+: \(file\): YAML syntax error/,
    );
  });
});
