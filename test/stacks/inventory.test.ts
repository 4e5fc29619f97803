import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { inventoryJsonSchema, readInventory } from "../../stacks/inventory.js";
import { repoRoot } from "../helpers/cli.js";

const schemaFile = join(repoRoot, "stacks", "inventory.schema.json");
const fixture = join(repoRoot, "test", "fixtures", "inventory.json");

describe("inventory contract", () => {
  it("the checked-in JSON Schema is the one generated from the zod schema", () => {
    expect(JSON.parse(readFileSync(schemaFile, "utf8"))).toEqual(inventoryJsonSchema());
  });

  it("the fixture inventory validates against the JSON Schema and the zod schema", () => {
    const validate = new Ajv2020({ strict: false }).compile(JSON.parse(readFileSync(schemaFile, "utf8")) as object);
    expect(validate(JSON.parse(readFileSync(fixture, "utf8")))).toBe(true);
    expect(readInventory(fixture).hosts).toHaveLength(4);
  });

  it("lists every problem with its JSON path", () => {
    const data = JSON.parse(readFileSync(fixture, "utf8")) as { hosts: { department: string; agentPort: number }[] };
    data.hosts[0]!.department = "onbekend";
    data.hosts[1]!.agentPort = 0;
    const file = join(mkdtempSync(join(tmpdir(), "muniops-inv-")), "inventory.json");
    writeFileSync(file, JSON.stringify(data));
    expect(() => readInventory(file)).toThrow(/invalid inventory \(2 problems\):\n.*hosts\.1\.agentPort: .*\n.*hosts\.0\.department: unknown department "onbekend"/);
  });

  it("names the file when it is not JSON", () => {
    const file = join(mkdtempSync(join(tmpdir(), "muniops-inv-")), "inventory.json");
    writeFileSync(file, "{ nope");
    expect(() => readInventory(file)).toThrow(`couldn't read inventory ${file}: not valid JSON`);
  });
});
