// The municipality's applicability file (policies/applicability.yaml): who answers for each BIO2 entry
// (by clause, ISO control or entry id; the most specific key wins) and which entries do not apply, with
// the reason. Every problem names the file and line and what is valid, and all of them are listed.
import { isMap, isScalar, type Node as YamlNode, type Pair } from "yaml";
import { UsageError } from "../../errors.js";
import { parseYaml, readTextFile } from "../../yamlFile.js";
import { bio2Catalog, isLive } from "../bio2Catalog.js";

export interface Applicability {
  file: string;
  organisation: string | undefined;
  /** Prefix ("5", "5.19", "8.08.01") → who answers. */
  answeredBy: ReadonlyMap<string, string>;
  /** BIO2 id → why it does not apply. */
  notApplicable: ReadonlyMap<string, string>;
}

const topKeys = ["schemaVersion", "organisation", "answeredBy", "notApplicable"];

/** Who answers for a BIO2 entry: the value of its most specific key, or undefined when none matches. */
export function answeredByFor(applicability: Applicability, bio2Id: string): string | undefined {
  const [clause, control] = bio2Id.split(".");
  for (const key of [bio2Id, `${clause ?? ""}.${control ?? ""}`, clause ?? ""]) {
    const who = applicability.answeredBy.get(key);
    if (who !== undefined) return who;
  }
  return undefined;
}

export function loadApplicability(path: string): Applicability {
  return parseApplicability(readTextFile(path, "applicability file"), path);
}

type Problem = (node: YamlNode | null | undefined, message: string) => void;

export function parseApplicability(text: string, path: string): Applicability {
  const { doc, errors, lineOf } = parseYaml(text, path, "applicability file");
  const firstError = errors[0];
  if (firstError) throw new UsageError(`applicability file ${path}:${firstError.line}: ${firstError.message}`);
  if (!isMap(doc.contents)) {
    const expected = "expected a mapping with schemaVersion, answeredBy and notApplicable";
    throw new UsageError(`applicability file ${path}:1: ${expected}`);
  }
  const problems: string[] = [];
  const problem: Problem = (node, message) => void problems.push(`${path}:${lineOf(node)}: ${message}`);

  for (const pair of doc.contents.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : "?";
    if (!topKeys.includes(key)) problem(pair.key, `unknown key "${key}"; valid keys: ${topKeys.join(", ")}`);
  }
  const version: unknown = doc.get("schemaVersion");
  if (version !== 1) {
    const got = version === undefined ? "nothing" : JSON.stringify(version);
    problem(doc.contents, `schemaVersion must be 1, got ${got}`);
  }
  const organisation: unknown = doc.get("organisation");
  if (organisation !== undefined && (typeof organisation !== "string" || organisation.trim() === "")) {
    problem(doc.get("organisation", true) as YamlNode, "organisation must be a non-empty text");
  }

  const entries = bio2Catalog().entries;
  const prefixes = new Set(entries.flatMap((e) => [e.id.slice(0, 1), e.id.slice(0, 4), e.id]));
  const section = (name: string): YamlNode | undefined => doc.get(name, true) as YamlNode | undefined;
  const answeredBy = textMap(section("answeredBy"), "answeredBy", problem, (key, node) => {
    if (prefixes.has(key)) return;
    const valid = 'BIO2 clause ("5"), ISO control ("5.19") or entry id ("8.08.01") of the catalog';
    problem(node, `answeredBy: "${key}" is no ${valid}`);
  });
  const live = new Set(entries.filter(isLive).map((e) => e.id));
  const notApplicable = textMap(section("notApplicable"), "notApplicable", problem, (key, node) => {
    if (!entries.some((e) => e.id === key)) {
      problem(node, `notApplicable: "${key}" is not a BIO2 entry id of the catalog (e.g. "7.10.03")`);
    } else if (!live.has(key)) {
      problem(node, `notApplicable: ${key} is vervallen or moved in BIO2 already; leave it out`);
    }
  });
  if (problems.length > 0) {
    const count = `${problems.length} problem${problems.length === 1 ? "" : "s"}`;
    throw new UsageError([`invalid applicability file (${count}):`, ...problems.map((p) => `  ${p}`)].join("\n"));
  }
  const name = typeof organisation === "string" ? organisation.trim() : undefined;
  return { file: path, organisation: name, answeredBy, notApplicable };
}

/** A mapping of id → non-empty text; an absent or empty mapping is an empty map. */
function textMap(
  node: YamlNode | undefined,
  name: string,
  problem: Problem,
  checkKey: (key: string, node: YamlNode) => void,
): Map<string, string> {
  const map = new Map<string, string>();
  if (node === undefined || (isScalar(node) && node.value === null)) return map;
  if (!isMap(node)) {
    problem(node, `${name} must be a mapping of id to text`);
    return map;
  }
  for (const pair of node.items as Pair<YamlNode, YamlNode>[]) {
    const key = isScalar(pair.key) ? String(pair.key.value) : "";
    if (isScalar(pair.key) && typeof pair.key.value === "number") {
      // YAML reads an unquoted 5.10 as the number 5.1: say so rather than "5.1 is not an id".
      problem(pair.key, `${name}: the key ${key} is a number to YAML; quote BIO2 ids and prefixes ("5.10", "8.08.01")`);
      continue;
    }
    checkKey(key, pair.key);
    const value = isScalar(pair.value) ? pair.value.value : undefined;
    if (typeof value !== "string" || value.trim() === "") {
      problem(pair.value ?? pair.key, `${name}.${key}: give a non-empty text`);
    } else map.set(key, value.trim());
  }
  return map;
}
