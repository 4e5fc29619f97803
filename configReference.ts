// The configuration reference: every declared setting with its key, flag, environment variable, valid
// values, default and description, rendered as Markdown from the defineSetting declarations and their zod
// schemas. `muniops config reference` prints it; `--readme README.md` (`npm run docs`) rewrites the
// README's section between the markers, and test/readme.test.ts fails when that section is stale.
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { UsageError } from "./errors.js";
import { allSettings, formatValue, z, type Setting } from "./settings.js";

export const referenceStart = "<!-- config-reference:start -->";
export const referenceEnd = "<!-- config-reference:end -->";
const generatedNote =
  "<!-- generated from the defineSetting declarations by `npm run docs`: edit those, not this table -->";

/** The subset of JSON Schema that zod emits for setting schemas and that the reference describes. */
interface JsonSchema {
  type?: string;
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  items?: JsonSchema;
  /** A schema zod cannot render as one type (a union with a transform) says in words what it takes. */
  description?: string;
}

/** The whole reference: one table per top-level section (`agent`, `dashboard`, …; bare keys under "general"). */
export function configReferenceMarkdown(settings: readonly Setting[] = allSettings()): string {
  const sections = new Map<string, Setting[]>();
  for (const setting of settings) {
    const section = setting.key.includes(".") ? (setting.key.split(".")[0] ?? "") : "general";
    sections.set(section, [...(sections.get(section) ?? []), setting]);
  }
  const order = [...sections.keys()].sort((a, b) => (a === "general" ? -1 : b === "general" ? 1 : a.localeCompare(b)));
  const parts = order.map((section) => {
    const rows = (sections.get(section) ?? []).map(referenceRow);
    const title = section === "general" ? "General" : `\`${section}.*\``;
    return [
      `#### ${title}`,
      "",
      "| key | flag | environment variable | valid values | default | description |",
      "|---|---|---|---|---|---|",
      ...rows,
    ].join("\n");
  });
  return parts.join("\n\n");
}

function referenceRow(setting: Setting): string {
  const cells = [
    code(setting.key),
    setting.flag ? code(setting.flag) : "–",
    code(setting.env),
    validValues(setting),
    setting.default === undefined ? "–" : code(formatValue(setting.default)),
    proseToMarkdown(setting.description),
  ];
  // A pipe inside a cell (regular expressions) would split it; GFM takes `\|`, even inside code spans.
  return `| ${cells.map((cell) => cell.replace(/\|/g, "\\|")).join(" | ")} |`;
}

/** What a value must look like, read from the setting's zod schema (through its JSON Schema form). */
export function validValues(setting: Setting): string {
  const schema = z.toJSONSchema(setting.schema, { unrepresentable: "any", io: "input" }) as JsonSchema;
  const described = describe(schema, setting);
  return setting.secret ? `${described} (secret: never echoed)` : described;
}

function describe(schema: JsonSchema, setting: Setting): string {
  if (schema.description !== undefined) return proseToMarkdown(schema.description);
  if (schema.enum) return `one of ${schema.enum.map((v) => code(String(v))).join(", ")}`;
  switch (schema.type) {
    case "boolean":
      return "`true` or `false`";
    case "integer":
    case "number":
      return `${schema.type}${range(schema)}`;
    case "array":
      return `comma-separated list${schema.items ? ` of ${describe(schema.items, setting)}` : ""}`;
    case "string":
      return describeText(schema, setting);
    default:
      return setting.type;
  }
}

function range(schema: JsonSchema): string {
  // zod writes int() without bounds as ±MAX_SAFE_INTEGER: that is no bound worth printing.
  const min = schema.minimum !== undefined && schema.minimum > Number.MIN_SAFE_INTEGER ? schema.minimum : undefined;
  const max = schema.maximum !== undefined && schema.maximum < Number.MAX_SAFE_INTEGER ? schema.maximum : undefined;
  if (min !== undefined && max !== undefined) return ` ${min}–${max}`;
  const bounds = [
    min !== undefined ? `≥ ${min}` : undefined,
    schema.exclusiveMinimum !== undefined ? `> ${schema.exclusiveMinimum}` : undefined,
    max !== undefined ? `≤ ${max}` : undefined,
    schema.exclusiveMaximum !== undefined ? `< ${schema.exclusiveMaximum}` : undefined,
  ].filter((b) => b !== undefined);
  return bounds.length > 0 ? ` ${bounds.join(", ")}` : "";
}

function describeText(schema: JsonSchema, setting: Setting): string {
  if (schema.format === "uri") return "URL";
  if (schema.pattern) {
    // Durations are all one shape: digits and a unit. Name the units rather than print the expression.
    const units = /^\^\\d\+\(([a-z|]+)\)\$$/.exec(schema.pattern)?.[1];
    if (units) return `duration: a whole number and ${units.split("|").map(code).join(", ")}`;
    return `text matching ${code(schema.pattern)}`;
  }
  const length = [
    schema.minLength === 1 ? "non-empty" : undefined,
    schema.maxLength !== undefined ? `at most ${schema.maxLength} characters` : undefined,
  ].filter((p) => p !== undefined);
  const noun = setting.type === "duration" ? "duration" : "text";
  return length.length > 0 ? `${noun}, ${length.join(", ")}` : noun;
}

/**
 * Descriptions are plain text with `code` spans: outside those, `<id>` would vanish as an HTML tag and `*` start
 * emphasis.
 */
function proseToMarkdown(text: string): string {
  return text
    .split(/(`[^`]*`)/)
    .map((part) => (part.startsWith("`") ? part : part.replace(/[<>*]/g, (c) => `\\${c}`)))
    .join("");
}

function code(text: string): string {
  return `\`${text}\``;
}

/**
 * Replace what lies between the reference markers in a Markdown document; a document without both markers is a usage
 * error.
 */
export function spliceReference(document: string, reference: string, displayPath: string): string {
  const start = document.indexOf(referenceStart);
  const end = document.indexOf(referenceEnd);
  if (start === -1 || end === -1 || end < start) {
    throw new UsageError(
      `${displayPath} has no configuration reference section: add the lines ${referenceStart} and ` +
        `${referenceEnd} where it belongs`,
    );
  }
  const before = document.slice(0, start + referenceStart.length);
  return `${before}\n${generatedNote}\n\n${reference}\n\n${document.slice(end)}`;
}

/** The reference as it stands in a document, between the markers (undefined without them). */
export function referenceSection(document: string): string | undefined {
  const start = document.indexOf(referenceStart);
  const end = document.indexOf(referenceEnd);
  if (start === -1 || end === -1 || end < start) return undefined;
  return document.slice(start, end + referenceEnd.length);
}

/** Rewrite a README's reference section in place (atomically); returns whether anything changed. */
export function writeReadmeReference(path: string): boolean {
  let document: string;
  try {
    document = readFileSync(path, "utf8");
  } catch (error) {
    throw new UsageError(
      `couldn't read ${path} (given by --readme): ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  const updated = spliceReference(document, configReferenceMarkdown(), basename(path));
  if (updated === document) return false;
  const staging = `${path}.${process.pid}.tmp`;
  writeFileSync(staging, updated);
  renameSync(staging, path);
  return true;
}
