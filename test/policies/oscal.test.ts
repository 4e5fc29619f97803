// OSCAL exports checked against NIST's OSCAL 1.0.0 JSON schemas (ajv, draft-07): the assessment results
// of an audit, and the BIO2 catalog (ids and titles only).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import type { Ajv as AjvInstance, Options as AjvOptions, ValidateFunction } from "ajv";
import { describe, expect, it } from "vitest";
import { audit } from "../../policies/audit/evaluate.js";
import { readPreviewFile } from "../../policies/audit/readPreview.js";
import { buildReport } from "../../policies/audit/report.js";
import { bio2Catalog } from "../../policies/bio2Catalog.js";
import { renderOscal } from "../../policies/formats/oscal.js";
import { bio2OscalCatalog } from "../../policies/oscal/bio2OscalCatalog.js";
import { stableUuid } from "../../policies/oscal/oscalIds.js";
import { emptyWaivers } from "../../policies/waivers.js";
import { repoRoot, runCli } from "../helpers/cli.js";

const fixtures = join(repoRoot, "test", "fixtures", "policies");
const knownViolations = join(fixtures, "known-violations.preview.json");
// ajv (draft-07 by default, as OSCAL's schemas are) and ajv-formats are CommonJS packages.
const require = createRequire(import.meta.url);
const Ajv = (require("ajv") as { default: new (options: AjvOptions) => AjvInstance }).default;
const addFormats = (require("ajv-formats") as { default: (ajv: AjvInstance) => void }).default;

function validator(schemaFile: string): ValidateFunction {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(join(fixtures, "oscal", schemaFile), "utf8")) as object);
}

interface AssessmentResults {
  "assessment-results": {
    results: {
      findings: { target: { "target-id": string; status: { state: string; reason?: string } } }[];
      remarks?: string;
      observations: unknown[];
    }[];
  };
}

describe("OSCAL", () => {
  it("muniops audit --format oscal writes assessment results valid against the OSCAL 1.0.0 schema", async () => {
    const result = await runCli([
      "audit",
      knownViolations,
      "--waivers",
      join(fixtures, "no-waivers.yaml"),
      "--format",
      "oscal",
    ]);
    expect(result.code, result.stderr).toBe(1);
    const document = JSON.parse(result.stdout) as AssessmentResults;
    const validate = validator("oscal_assessment-results_schema.json");
    expect(validate(document), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const findings = document["assessment-results"].results[0]!.findings;
    expect(findings.find((f) => f.target["target-id"] === "bio2-8.24.04")?.target.status).toEqual({
      state: "not-satisfied",
      reason: "fail",
    });
    expect(findings.find((f) => f.target["target-id"] === "bio2-8.03.01")?.target.status).toEqual({
      state: "satisfied",
    });
    expect(document["assessment-results"].results[0]!.remarks).toContain("5.01.01");
    // the schema check has teeth: a status OSCAL does not know is refused
    findings[0]!.target.status.state = "passed";
    expect(validate(document)).toBe(false);
  });

  it("the Cloud-theme baseline exports with its own control ids", () => {
    const report = buildReport(audit(readPreviewFile(knownViolations), { waivers: emptyWaivers }), "test", {
      baseline: "cloud-theme",
    });
    const document = JSON.parse(renderOscal(report)) as AssessmentResults;
    expect(validator("oscal_assessment-results_schema.json")(document)).toBe(true);
    expect(document["assessment-results"].results[0]!.findings.map((f) => f.target["target-id"])).toContain("U.05.1");
  });

  it(
    "the BIO2 catalog is a valid OSCAL catalog: 166 controls under ISO clause and control groups, ids and " +
      "titles only",
    () => {
      const document = bio2OscalCatalog(bio2Catalog());
      const validate = validator("oscal_catalog_schema.json");
      expect(validate(document), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
      const text = JSON.stringify(document);
      const groups = (
        document.catalog as {
          groups: {
            id: string;
            groups: {
              id: string;
              title: string;
              controls: { id: string; props: { name: string; value: string }[] }[];
            }[];
          }[];
        }
      ).groups;
      expect(groups.map((g) => g.id)).toEqual(["iso-5", "iso-6", "iso-7", "iso-8"]);
      const controls = groups.flatMap((g) => g.groups.flatMap((c) => c.controls));
      expect(controls).toHaveLength(166);
      expect(groups[3]!.groups.find((g) => g.id === "iso-8.8")?.title).toBe("Management of technical vulnerabilities");
      expect(controls.find((c) => c.id === "bio2-5.04.02")?.props).toContainEqual({
        name: "status",
        value: "withdrawn",
      });
      expect(text).toContain("Baseline Informatiebeveiliging Overheid 2 (BIO2), Staat der Nederlanden");
      expect(text).toContain("CC BY-SA 4.0");
      // the schema check has teeth: an id with a leading digit is no NCName
      controls[0]!.id = "5.01.01";
      expect(validate(document)).toBe(false);
      controls[0]!.id = "bio2-5.01.01";
      // the same catalog gives the same document (stable UUIDs)
      expect(JSON.stringify(bio2OscalCatalog(bio2Catalog()))).toBe(text);
    },
  );

  it("stable UUIDs have the version-4 shape OSCAL requires", () => {
    const uuid = stableUuid("a", "b");
    expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(stableUuid("a", "b")).toBe(uuid);
    expect(stableUuid("ab")).not.toBe(uuid);
  });
});
