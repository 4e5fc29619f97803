import { existsSync, readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { inventoryJsonSchema, parseInventory, readInventory, type Inventory } from "../../contracts/inventory.js";
import { repoRoot, runCli } from "../helpers/cli.js";
import { joinedRegExp } from "../helpers/joinedRegExp.js";

const schemaFile = join(repoRoot, "contracts", "inventory.schema.json");
const fixture = join(repoRoot, "test", "fixtures", "inventory.json");
const invalidAddress = (address: string): string =>
  `an address is an IPv4 or IPv6 address or a DNS name (RFC 1123), got ${JSON.stringify(address)}`;

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
    expect(() => readInventory(file)).toThrow(
      joinedRegExp([
        /invalid inventory \(2 problems\):\n.*hosts\.1\.agentPort: .*\n.*hosts\.0\.department: unknown /,
        /department "onbekend"/,
      ]),
    );
  });

  it(
    "refuses duplicate " +
      "department " +
      "ids, host names and " +
      "share names," +
      " " +
      "naming the " +
      "file, index " +
      "and " +
      "field",
    () => {
      const data = JSON.parse(readFileSync(fixture, "utf8")) as Inventory;
      data.hosts.push({ ...data.hosts[0]!, address: "10.20.9.9" });
      data.shares.push({ ...data.shares[0]! });
      data.departments.push({ ...data.departments[1]! });
      const file = join(mkdtempSync(join(tmpdir(), "muniops-inv-")), "inventory.json");
      writeFileSync(file, JSON.stringify(data));
      const [host, share, department] = [data.hosts[0]!.name, data.shares[0]!.name, data.departments[1]!.id];
      const error = (() => {
        try {
          readInventory(file);
        } catch (e) {
          return (e as Error).message;
        }
        return "";
      })();
      expect(error).toContain("invalid inventory (3 problems):");
      expect(error).toContain(`  ${file}: hosts.4.name: duplicate name "${host}" (hosts.0 has it too)`);
      const [lastShare, lastDepartment] = [data.shares.length - 1, data.departments.length - 1];
      expect(error).toContain(`  ${file}: shares.${lastShare}.name: duplicate name "${share}" (shares.0 has it too)`);
      expect(error).toContain(
        `  ${file}: departments.${lastDepartment}.id: duplicate id "${department}" (departments.1 has it too)`,
      );
    },
  );

  it.each([
    ["an IPv4 address out of range", "10.0.0.256"],
    ["a dotted quad with a letter", "10.0.0.1a"],
    ["a space", "bz app 01"],
    ["a URL", "http://10.0.0.1"],
    ["an address with a port", "10.0.0.1:9110"],
    ["a label starting with a dash", "-bz.example"],
    ["a malformed IPv6 address", "fe80::1::2"],
    ["an empty address", ""],
  ])("refuses %s as a host address", (_name, address) => {
    const data = JSON.parse(readFileSync(fixture, "utf8")) as Inventory;
    data.hosts[2]!.address = address;
    const expected = `hosts.2.address: ${invalidAddress(address)}`;
    expect(() => parseInventory(data, "inventory.json")).toThrow(`  inventory.json: ${expected}`);
  });

  const valid = ["10.20.1.4", "fd00::4", "2001:db8::1", "bz-app-01", "bz-app-01.gemeente.example", "1and1.example"];
  it.each(valid)("takes %s as a host address", (address) => {
    const data = JSON.parse(readFileSync(fixture, "utf8")) as Inventory;
    data.hosts[2]!.address = address;
    expect(parseInventory(data, "inventory.json").hosts[2]?.address).toBe(address);
  });

  it("muniops prometheus-config refuses a duplicate host and a bad address (exit 2, nothing written)", async () => {
    const data = JSON.parse(readFileSync(fixture, "utf8")) as Inventory;
    data.hosts.push({ ...data.hosts[0]!, address: "10.20.1.300" });
    const dir = mkdtempSync(join(tmpdir(), "muniops-inv-"));
    const file = join(dir, "inventory.json");
    writeFileSync(file, JSON.stringify(data));
    const result = await runCli(["prometheus-config", "--inventory", file, "--out", join(dir, "out")]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `  ${file}: hosts.4.name: duplicate name "${data.hosts[0]!.name}" (hosts.0 has it too)`,
    );
    expect(result.stderr).toContain(`  ${file}: hosts.4.address: ${invalidAddress("10.20.1.300")}`);
    expect(existsSync(join(dir, "out"))).toBe(false);
  });

  it("names the file when it is not JSON", () => {
    const file = join(mkdtempSync(join(tmpdir(), "muniops-inv-")), "inventory.json");
    writeFileSync(file, "{ nope");
    expect(() => readInventory(file)).toThrow(`couldn't read inventory ${file}: not valid JSON`);
  });
});
