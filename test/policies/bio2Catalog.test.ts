// The BIO2 catalog in the repo: all 166 entries of v1.3, well-formed and unique, consistent with their ISO
// control, carrying the attribution its CC BY-SA licence asks for; and the loader refuses a broken file.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../errors.js";
import { bio2Catalog, bio2CatalogPath, isoControlOf, parseBio2Catalog } from "../../policies/bio2Catalog.js";

describe("BIO2 catalog", () => {
  const catalog = bio2Catalog();

  it("holds the 166 entries of BIO2 v1.3 over all 93 ISO/IEC 27002:2022 controls", () => {
    expect(catalog.version).toBe("1.3");
    expect(catalog.entries).toHaveLength(166);
    expect(new Set(catalog.entries.map((e) => e.isoControl)).size).toBe(93);
    const count = (status: string): number => catalog.entries.filter((e) => e.status === status).length;
    expect([count("measure"), count("GOM"), count("vervallen"), count("moved"), count("see")]).toEqual([
      117, 39, 4, 5, 1,
    ]);
  });

  it("ids are well-formed, unique, in catalog order, and each names its ISO control", () => {
    const ids = catalog.entries.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const entry of catalog.entries) {
      expect(entry.id).toMatch(/^[5-8]\.\d{2}\.\d{2}$/);
      expect(entry.isoControl).toBe(isoControlOf(entry.id));
    }
    const key = (id: string): number[] => id.split(".").map(Number);
    const sorted = [...ids].sort((a, b) => {
      const [x, y] = [key(a), key(b)];
      return x[0]! - y[0]! || x[1]! - y[1]! || x[2]! - y[2]!;
    });
    expect(ids).toEqual(sorted);
  });

  it("carries the CC BY-SA attribution and source, and no ISO text beyond short titles", () => {
    expect(catalog.license).toBe("CC BY-SA 4.0");
    expect(catalog.attribution).toBe("Baseline Informatiebeveiliging Overheid 2 (BIO2), Staat der Nederlanden");
    expect(catalog.source.repository).toBe("https://github.com/MinBZK/Baseline-Informatiebeveiliging-Overheid");
    for (const entry of catalog.entries) expect(entry.isoTitle.length).toBeLessThanOrEqual(80);
  });

  it("spot checks against the reference", () => {
    const byId = new Map(catalog.entries.map((e) => [e.id, e]));
    expect(byId.get("8.08.01")).toMatchObject({
      isoControl: "8.8",
      status: "measure",
      categoriesV12: ["basishygiene"],
    });
    expect(byId.get("5.04.02")).toMatchObject({ status: "moved", target: "5.10.02", categoryFromFormerText: true });
    expect(byId.get("8.08.06")).toMatchObject({ status: "see", target: "5.24.08" });
    expect(byId.get("5.33.01")).toMatchObject({ cbwScope: "outside" });
    expect(byId.get("8.18.02")?.topic).toBe("Log utility use; keep six months");
  });

  it("the loader refuses a broken entry, naming the file, the entry and what is valid", () => {
    const text = readFileSync(bio2CatalogPath(), "utf8");
    const broken = text.replace('"id":"8.08.01"', '"id":"8.8.1"');
    expect(() => parseBio2Catalog(broken, "bio2.json")).toThrow(UsageError);
    expect(() => parseBio2Catalog(broken, "bio2.json")).toThrow(
      /^BIO2 catalog bio2\.json is invalid: entries\.\d+\.id \(8\.8\.1\): a BIO2 id such as 8\.08\.01/,
    );
    const duplicate = text.replace('"id":"8.08.02"', '"id":"8.08.01"');
    expect(() => parseBio2Catalog(duplicate, "bio2.json")).toThrow("entry 8.08.01 appears twice");
    const wrongIso = text.replace('"id":"8.08.01","isoControl":"8.8"', '"id":"8.08.01","isoControl":"8.9"');
    expect(() => parseBio2Catalog(wrongIso, "bio2.json")).toThrow(
      "isoControl must be the id without sequence and padding",
    );
  });
});
