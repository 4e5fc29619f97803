// The BIO2 catalog (policies/baselines/bio2-1.3.json): every entry of BIO2 Deel 2 with its ISO/IEC
// 27002:2022 control, read once and validated, so a hand edit that breaks an id or a status fails at load
// with the entry at fault rather than as a missing row in an auditor's report.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { UsageError } from "../errors.js";
import { packageRoot } from "../packageInfo.js";

/** A BIO2 id: ISO clause, control (two digits) and sequence (two digits), e.g. `8.08.01` for ISO 8.8. */
export const bio2IdPattern = /^([5-8])\.(\d{2})\.(\d{2})$/;
/** An ISO/IEC 27002:2022 control id, e.g. `8.8`. */
export const isoControlPattern = /^[5-8]\.([1-9]|[1-3]\d)$/;

const bio2Id = z.string().regex(bio2IdPattern, "a BIO2 id such as 8.08.01");

export const bio2EntrySchema = z
  .strictObject({
    id: bio2Id,
    isoControl: z.string().regex(isoControlPattern, "an ISO/IEC 27002:2022 control id such as 8.8"),
    isoTitle: z.string().min(3).max(120),
    /** measure: a government measure; GOM: "geen overheidsmaatregel", the ISO guidance applies. */
    status: z.enum(["measure", "GOM", "vervallen", "moved", "see"]),
    /** Where a moved entry went, or the measure a `see` entry refers to. */
    target: bio2Id.optional(),
    categoriesV12: z.array(z.enum(["basishygiene", "ketenhygiene", "overheidsrisico"])).min(1),
    /** The v1.2 category was inherited from the id the measure moved from. */
    categoryInherited: z.literal(true).optional(),
    /** The v1.2 category belonged to the text that stood under this now-empty id. */
    categoryFromFormerText: z.literal(true).optional(),
    /** Whether v1.3 grey-marks it as outside the Cyberbeveiligingswet; the Markdown source rarely says. */
    cbwScope: z.enum(["unknown", "outside"]),
    /** Our own summary; never BIO or ISO text. */
    topic: z.string().min(3).max(200).optional(),
  })
  .refine((e) => e.isoControl === isoControlOf(e.id), {
    error: "isoControl must be the id without sequence and padding",
    path: ["isoControl"],
  })
  .refine((e) => (e.status === "moved" || e.status === "see") === (e.target !== undefined), {
    error: "a target is given exactly for moved and see entries",
    path: ["target"],
  });

export const bio2CatalogSchema = z.strictObject({
  baseline: z.literal("BIO2"),
  title: z.string().min(1),
  version: z.string().regex(/^\d+\.\d+$/),
  versionDate: z.iso.date(),
  categoriesVersion: z.string().regex(/^\d+\.\d+$/),
  attribution: z.string().min(1),
  license: z.literal("CC BY-SA 4.0"),
  licenseUrl: z.url(),
  source: z.strictObject({
    repository: z.url(),
    path: z.string().min(1),
    commit: z.string().regex(/^[0-9a-f]{40}$/),
    categoriesCommit: z.string().regex(/^[0-9a-f]{40}$/),
    formalText: z.url(),
  }),
  changes: z.string().min(1),
  isoNotice: z.string().min(1),
  entries: z.array(bio2EntrySchema).min(1),
});

export type Bio2Entry = z.infer<typeof bio2EntrySchema>;
export type Bio2Catalog = z.infer<typeof bio2CatalogSchema>;
export type Bio2Status = Bio2Entry["status"];

/** The ISO control a BIO2 id belongs to: `8.08.01` → `8.8`. */
export function isoControlOf(bio2Id: string): string | undefined {
  const match = bio2IdPattern.exec(bio2Id);
  return match ? `${match[1]}.${Number(match[2])}` : undefined;
}

/** Entries that ask something of the municipality: measures and GOM entries (vervallen, moved, see do not). */
export function isLive(entry: Bio2Entry): boolean {
  return entry.status === "measure" || entry.status === "GOM";
}

export const bio2CatalogPath = (): string => join(packageRoot(), "policies", "baselines", "bio2-1.3.json");

/** 5.26.01 points at 5.25.02, which the source lacks: MinBZK's own inconsistency, kept as published. */
const danglingInSource = new Set(["5.26.01"]);

/** Parse and check a catalog; problems name the file and the entry's index and id. */
export function parseBio2Catalog(text: string, path: string): Bio2Catalog {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`BIO2 catalog ${path} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = bio2CatalogSchema.safeParse(raw);
  if (!parsed.success) {
    const entries = (raw as { entries?: { id?: unknown }[] } | null)?.entries;
    const problems = parsed.error.issues.map((issue) => {
      const [first, index] = issue.path;
      const id = first === "entries" && typeof index === "number" ? entries?.[index]?.id : undefined;
      return `${issue.path.join(".")}${typeof id === "string" ? ` (${id})` : ""}: ${issue.message}`;
    });
    throw new UsageError(`BIO2 catalog ${path} is invalid: ${problems.join("; ")}`);
  }
  const seen = new Set<string>();
  for (const entry of parsed.data.entries) {
    if (seen.has(entry.id)) throw new UsageError(`BIO2 catalog ${path} is invalid: entry ${entry.id} appears twice`);
    seen.add(entry.id);
  }
  for (const entry of parsed.data.entries) {
    if (entry.target !== undefined && !seen.has(entry.target) && !danglingInSource.has(entry.id)) {
      const why = `entry ${entry.id} refers to ${entry.target}, which is not in the catalog`;
      throw new UsageError(`BIO2 catalog ${path} is invalid: ${why}`);
    }
  }
  return parsed.data;
}

let cached: Bio2Catalog | undefined;

/** The bundled BIO2 catalog, read and validated once per process. */
export function bio2Catalog(): Bio2Catalog {
  cached ??= parseBio2Catalog(readFileSync(bio2CatalogPath(), "utf8"), bio2CatalogPath());
  return cached;
}

export function bio2EntryById(id: string): Bio2Entry | undefined {
  return bio2Catalog().entries.find((e) => e.id === id);
}
