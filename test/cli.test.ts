import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers/cli.js";

describe("muniops CLI", () => {
  it("--version prints the package version and exits 0", async () => {
    const result = await runCli(["--version"]);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("--help lists the global flags and the subcommands", async () => {
    const result = await runCli(["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Usage: muniops");
    expect(result.stdout).toContain("--log-level");
    expect(result.stdout).toMatch(/^\s+config\s/m);
  });

  it("an unknown subcommand exits 2 with a suggestion", async () => {
    const result = await runCli(["confg"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown command 'confg'");
    expect(result.stderr).toContain("Did you mean config?");
  });

  it("an unknown flag exits 2 with a suggestion", async () => {
    const result = await runCli(["--log-levl", "debug", "config", "reference"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown option '--log-levl'");
    expect(result.stderr).toContain("Did you mean --log-level?");
  });

  it("a config file with two bad keys reports both, with their paths and lines, and exits 2", async () => {
    const dir = mkdtempSync(join(tmpdir(), "muniops-cli-"));
    const file = join(dir, "muniops.yaml");
    writeFileSync(file, "# muniops settings\nlogLevel: loud\nlogLevle: debug\n");
    const result = await runCli(["config", "check", file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("invalid configuration (2 problems)");
    expect(result.stderr).toContain(`${file}:2: logLevel: Invalid option: expected one of`);
    expect(result.stderr).toContain(`${file}:3: logLevle: unknown key (did you mean logLevel?)`);
    expect(result.stderr).not.toContain("    at "); // no stack trace for a user mistake
  });

  it("a missing --config file names the flag and exits 2", async () => {
    const result = await runCli(["--config", "/nonexistent/muniops.yaml", "config", "reference"]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      "muniops: config file /nonexistent/muniops.yaml does not exist (given by --config)",
    );
  });

  it("a bad environment variable is reported by its name", async () => {
    const result = await runCli(["config", "reference"], { env: { MUNIOPS_LOG_LEVEL: "chatty" } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("MUNIOPS_LOG_LEVEL: logLevel: Invalid option");
    expect(result.stderr).toContain('got "chatty"');
  });

  it("--debug adds the stack trace to an error", async () => {
    const result = await runCli(["--debug", "--config", "/nonexistent/muniops.yaml", "config", "reference"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/UsageError: config file .* does not exist/);
    expect(result.stderr).toMatch(/\n\s+at /);
  });

  it("config reference documents every setting with its environment variable", async () => {
    const result = await runCli(["config", "reference"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      "| `logLevel` | `--log-level` | `MUNIOPS_LOG_LEVEL` | one of `trace`, `debug`, `info`, `warn`, " +
        '`error`, `fatal`, `silent` | `"info"` |',
    );
  });
});
