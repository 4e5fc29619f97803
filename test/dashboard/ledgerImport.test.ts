// Master data survives export and re-import unchanged, as YAML and as CSV, on both backends.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadMasterData } from "../../dashboard/data-access/masterData.js";
import { entityKinds } from "../../dashboard/domain/records.js";
import { exportMasterData, importMasterData } from "../../dashboard/app/ledgerImport.js";
import { parseCsv } from "../../dashboard/domain/csv.js";
import { backends, freshLedger } from "./helpers/backends.js";
import { fixtureDir } from "./helpers/handMonth.js";
import { joinedRegExp } from "../helpers/joinedRegExp.js";

const fixture = readFileSync(join(fixtureDir, "hand-month.yaml"), "utf8");

describe.each(backends)("ledger import and export on $name", (backend) => {
  afterAll(() => backend.cleanup());

  it("round-trips YAML and CSV without a change", async () => {
    const [source, viaYaml, viaCsv] = [
      await freshLedger(backend),
      await freshLedger(backend),
      await freshLedger(backend),
    ];
    try {
      await importMasterData(source, fixture, { format: "yaml", source: "hand-month.yaml", actor: "test" });
      const original = await loadMasterData(source.db);
      expect(original.departments).toHaveLength(3);
      expect(original.rateVersions.map((v) => v.validFrom)).toEqual(["2026-01-01", "2026-10-16"]);

      await importMasterData(viaYaml, await exportMasterData(source, "yaml"), {
        format: "yaml",
        source: "export.yaml",
        actor: "test",
      });
      expect(await loadMasterData(viaYaml.db)).toEqual(original);

      for (const kind of entityKinds) {
        const csv = await exportMasterData(source, "csv", kind);
        await importMasterData(viaCsv, csv, { format: "csv", kind, source: `${kind}.csv`, actor: "test" });
      }
      expect(await loadMasterData(viaCsv.db)).toEqual(original);

      // Importing the same data again changes nothing and audits nothing.
      expect(await importMasterData(source, fixture, { format: "yaml", source: "again.yaml", actor: "test" })).toEqual(
        [],
      );
    } finally {
      await Promise.all([source.close(), viaYaml.close(), viaCsv.close()]);
    }
  });

  it("round-trips text a spreadsheet would run as a formula: neutralised on export, restored on import", async () => {
    const [source, viaCsv] = [await freshLedger(backend), await freshLedger(backend)];
    try {
      const prices =
        'compute.vcpuHour: "0.01", compute.memoryGibHour: "0.005", ' +
        'storage.serverGbMonth: "0.10", storage.shareGbMonth: "0.05"';
      const notes = ["=1+1", "'=already", "-5", "@a;b", "plain"];
      const yaml = [
        "rateCards:",
        ...notes.map(
          (note, i) => `  - { validFrom: 2026-0${i + 1}-01, note: ${JSON.stringify(note)}, prices: { ${prices} } }`,
        ),
      ].join("\n");
      await importMasterData(source, yaml, { format: "yaml", source: "notes.yaml", actor: "test" });
      const csv = await exportMasterData(source, "csv", "rateVersions");
      expect(csv).toContain(`"'=1+1"`);
      expect(csv).toContain(`"''=already"`);
      expect(csv).toMatch(/,"compute\.vcpuHour",0\.01\r\n/);
      await importMasterData(viaCsv, csv, { format: "csv", kind: "rateVersions", source: "rates.csv", actor: "test" });
      expect((await loadMasterData(viaCsv.db)).rateVersions.map((v) => v.note)).toEqual(notes);
    } finally {
      await Promise.all([source.close(), viaCsv.close()]);
    }
  });

  it("lists every bad CSV row with its line", async () => {
    const ledger = await freshLedger(backend);
    try {
      const csv =
        'id,name,costCenter,headcount\nburgerzaken,Burgerzaken,KP-4100,50\n"Sociaal",Sociaal,KP-4300,' +
        '-1\nruimte,"Ruimte, ' +
        'wonen",KP4400,10\n';
      await expect(
        importMasterData(ledger, csv, { format: "csv", kind: "departments", source: "departments.csv", actor: "t" }),
      ).rejects.toThrow(
        joinedRegExp([
          /departments\.csv: 3 bad rows[\s\S]*departments\.csv:3: line 3\.id: a department /,
          /id[\s\S]*departments\.csv:3: line 3\.headcount[\s\S]*departments\.csv:4: line 4\.costCenter: a cost /,
          /centre looks like KP-4100/,
        ]),
      );
      expect((await loadMasterData(ledger.db)).departments).toEqual([]);
    } finally {
      await ledger.close();
    }
  });
});

describe("CSV", () => {
  it("parses quoted " + "fields with " + "commas, quotes and " + "newlines, remembering each record's line", () => {
    expect(parseCsv('a,b\n"x, y","say ""hi""\nthere"\nz,\n')).toEqual([
      { line: 1, fields: ["a", "b"] },
      { line: 2, fields: ["x, y", 'say "hi"\nthere'] },
      { line: 4, fields: ["z", ""] },
    ]);
  });
});
