// `muniops dashboard` refuses audit files that are not there: one line naming the flag, exit 2, before
// the port is taken.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { runCli } from "../../helpers/cli.js";
import { joinedRegExp } from "../../helpers/joinedRegExp.js";

const dir = mkdtempSync(join(tmpdir(), "muniops-audit-flags-"));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("muniops dashboard audit flags", () => {
  test.each([
    [
      "--audit-preview",
      join(dir, "missing-preview.json"),
      joinedRegExp([
        /^muniops: --audit-preview .*missing-preview\.json does not exist: give a `muniops plan` or `pulumi /,
        /preview --json` output file\n$/,
      ]),
    ],
    [
      "--audit-waivers",
      join(dir, "missing-waivers.yaml"),
      /^muniops: --audit-waivers .*missing-waivers\.yaml does not exist: give the waivers YAML file\n$/,
    ],
  ])("%s pointing " + "nowhere: " + "one line, exit 2", async (flag, path, expected) => {
    const result = await runCli(["dashboard", "--database-url", join(dir, "ledger.db"), "--port", "0", flag, path]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(expected);
  });
});
