// `npm run build` compiles the CLI to JavaScript that runs on plain Node.js, without tsx or vitest.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { repoRoot, runNode } from "./helpers/cli.js";

describe("npm run build", () => {
  beforeAll(() => {
    execFileSync("npm", ["run", "build", "--silent"], { cwd: repoRoot, stdio: "pipe" });
  }, 300_000);

  it("writes the CLI named by package.json's bin", () => {
    expect(existsSync(join(repoRoot, "dist", "muniops.js"))).toBe(true);
  });

  it("runs --version and --help with plain node, no TypeScript loader", async () => {
    const version = await runNode([join(repoRoot, "dist", "muniops.js"), "--version"]);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = await runNode([join(repoRoot, "dist", "muniops.js"), "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: muniops");
  });
});
