// One configuration convention for every subcommand: a flag wins over a MUNIOPS_* environment variable,
// which wins over the YAML file (--config, MUNIOPS_CONFIG or ./muniops.yaml), which wins over the default.
//
// Each setting is declared once, with its documentation, so the help text, the README's configuration
// reference and the validation errors all come from the same place. The YAML file mirrors the dotted
// keys (`dashboard.port` is `dashboard: { port: … }`); the environment variable is derived from the key
// (`dashboard.port` → MUNIOPS_DASHBOARD_PORT, `databaseUrl` → MUNIOPS_DATABASE_URL).
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { isMap, isScalar, type Node as YamlNode } from "yaml";
import { z } from "zod";
import { ConfigError, UsageError, type ConfigProblem } from "./errors.js";
import { parseYaml, readTextFile } from "./yamlFile.js";

export type SettingType = "string" | "integer" | "number" | "boolean" | "list" | "duration";

export interface SettingSpec<S extends z.ZodType = z.ZodType> {
  /** Dotted camelCase path, also the YAML path: `dashboard.port`. */
  key: string;
  /** How a string from a flag or the environment becomes a value, and how the reference documents it. */
  type: SettingType;
  schema: S;
  description: string;
  default?: z.output<S>;
  /** The command-line flag, e.g. `--port`; commands that take the setting expose it under this name. */
  flag?: string;
  /** Never echoed in errors or logs. */
  secret?: boolean;
}

export interface Setting<S extends z.ZodType = z.ZodType> extends SettingSpec<S> {
  env: string;
}

const catalogue = new Map<string, Setting>();

export function envNameFor(key: string): string {
  const snake = key.replace(/\./g, "_").replace(/([a-z0-9])([A-Z])/g, "$1_$2");
  return `MUNIOPS_${snake.toUpperCase()}`;
}

/**
 * Declare a setting. Parts that share a setting (the database URL) declare it in one module and import
 * it; declaring a key again with another type is a programming error, caught at start-up.
 */
export function defineSetting<S extends z.ZodType>(spec: SettingSpec<S>): Setting<S> {
  if (!/^[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)*$/.test(spec.key))
    throw new Error(`setting key "${spec.key}" must be dotted camelCase`);
  const existing = catalogue.get(spec.key);
  if (existing) {
    if (existing.type !== spec.type)
      throw new Error(`setting "${spec.key}" declared twice, as ${existing.type} and as ${spec.type}`);
    return existing as Setting<S>;
  }
  const setting: Setting<S> = { ...spec, env: envNameFor(spec.key) };
  catalogue.set(spec.key, setting);
  return setting;
}

/** Every declared setting, sorted by key: the source of the README's configuration reference. */
export function allSettings(): Setting[] {
  return [...catalogue.values()].sort((a, b) => a.key.localeCompare(b.key));
}

export type SettingsGroup = Record<string, Setting>;
export type SettingsOf<G extends SettingsGroup> = { [K in keyof G]: z.output<G[K]["schema"]> };

/** Add a commander option for every setting in the group that has a flag. */
export function addSettingOptions(command: Command, group: SettingsGroup): Command {
  for (const setting of Object.values(group)) {
    if (!setting.flag) continue;
    const placeholder = setting.type === "boolean" ? "" : ` <${setting.type === "list" ? "items" : "value"}>`;
    const dflt = setting.default === undefined || setting.secret ? "" : ` (default: ${formatValue(setting.default)})`;
    command.option(`${setting.flag}${placeholder}`, `${setting.description}${dflt} [env ${setting.env}]`);
  }
  return command;
}

function attributeName(flag: string): string {
  // Mirrors commander's naming: "--web.listen-address" → "web.listenAddress".
  return flag.replace(/^--/, "").replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}

export interface ResolveOptions {
  /** The command whose flags to read; only flags the user actually typed count. */
  command?: Command;
  env?: NodeJS.ProcessEnv;
  /** An explicit config file (--config); otherwise MUNIOPS_CONFIG, otherwise ./muniops.yaml if present. */
  configFile?: string;
  cwd?: string;
}

/** Resolve a group of settings by precedence and validate them, listing every problem with its source. */
export function resolveSettings<G extends SettingsGroup>(group: G, options: ResolveOptions = {}): SettingsOf<G> {
  const env = options.env ?? process.env;
  const file = loadConfigFile(options, env);
  const problems: ConfigProblem[] = [...file.problems];
  const result: Record<string, unknown> = {};

  for (const [name, setting] of Object.entries(group)) {
    let raw: unknown;
    let source: string;
    const flagValue = readFlag(options.command, setting);
    if (flagValue !== undefined) {
      raw = flagValue;
      source = setting.flag ?? setting.key;
    } else if (env[setting.env] !== undefined && env[setting.env] !== "") {
      raw = env[setting.env];
      source = setting.env;
    } else if (file.values.has(setting.key)) {
      const entry = file.values.get(setting.key);
      raw = entry?.value;
      source = `${file.path ?? "config"}:${entry?.line ?? "?"}`;
    } else {
      result[name] = setting.default;
      continue;
    }
    const coerced = typeof raw === "string" ? coerce(setting, raw) : raw;
    const parsed = setting.schema.safeParse(coerced);
    if (parsed.success) {
      result[name] = parsed.data;
    } else {
      for (const issue of parsed.error.issues) {
        const sub = issue.path.length > 0 ? `.${issue.path.join(".")}` : "";
        const shown = setting.secret ? "" : `, got ${formatValue(raw)}`;
        problems.push({ source, path: setting.key + sub, message: `${issue.message}${shown}` });
      }
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return result as SettingsOf<G>;
}

function readFlag(command: Command | undefined, setting: Setting): unknown {
  if (!command || !setting.flag) return undefined;
  const attr = attributeName(setting.flag);
  const source = command.getOptionValueSource(attr);
  if (source !== "cli") return undefined;
  const value: unknown = command.getOptionValue(attr);
  return setting.type === "boolean" && value === true ? true : value;
}

function coerce(setting: Setting, raw: string): unknown {
  const text = raw.trim();
  switch (setting.type) {
    case "integer":
    case "number":
      return text !== "" && Number.isFinite(Number(text)) ? Number(text) : raw;
    case "boolean":
      if (/^(true|1|yes|on)$/i.test(text)) return true;
      if (/^(false|0|no|off)$/i.test(text)) return false;
      return raw;
    case "list":
      return text === "" ? [] : text.split(",").map((item) => item.trim());
    default:
      return raw;
  }
}

/** A value as the help, errors and the reference show it (JSON, so strings are quoted). */
export function formatValue(value: unknown): string {
  // JSON.stringify returns undefined for undefined and functions, whatever its declared type says.
  const json = JSON.stringify(value) as string | undefined;
  return json ?? String(value);
}

interface FileValues {
  path: string | undefined;
  values: Map<string, { value: unknown; line: number }>;
  problems: ConfigProblem[];
}

function loadConfigFile(options: ResolveOptions, env: NodeJS.ProcessEnv): FileValues {
  const cwd = options.cwd ?? process.cwd();
  const explicit = options.configFile ?? (env.MUNIOPS_CONFIG || undefined);
  const path = explicit ? resolve(cwd, explicit) : resolve(cwd, "muniops.yaml");
  if (!existsSync(path)) {
    if (explicit)
      throw new UsageError(
        `config file ${explicit} does not exist (given by ${options.configFile ? "--config" : "MUNIOPS_CONFIG"})`,
      );
    return { path: undefined, values: new Map(), problems: [] };
  }
  const displayPath = explicit ?? "muniops.yaml";
  return parseConfigText(readTextFile(path, "config file"), displayPath);
}

/** Parse a config file's text into dotted keys with line numbers; unknown keys are problems, with a suggestion. */
export function parseConfigText(text: string, displayPath: string): FileValues {
  const { doc, errors, lineOf } = parseYaml(text, displayPath, "config file");
  const values = new Map<string, { value: unknown; line: number }>();
  const problems: ConfigProblem[] = [];

  if (errors.length > 0) {
    for (const error of errors)
      problems.push({ source: `${displayPath}:${error.line}`, path: "(file)", message: error.message });
    return { path: displayPath, values, problems };
  }
  if (doc.contents === null) return { path: displayPath, values, problems };
  if (!isMap(doc.contents)) {
    problems.push({ source: `${displayPath}:1`, path: "(file)", message: "expected a mapping of setting keys" });
    return { path: displayPath, values, problems };
  }

  const known = new Set(catalogue.keys());
  const prefixes = new Set(
    [...known].flatMap((key) =>
      key
        .split(".")
        .slice(0, -1)
        .map((_p, i, parts) => parts.slice(0, i + 1).join(".")),
    ),
  );
  const walk = (node: YamlNode, prefix: string): void => {
    if (!isMap(node)) return;
    for (const pair of node.items) {
      const keyNode = pair.key as YamlNode | null;
      const keyText = isScalar(keyNode) ? String(keyNode.value) : "";
      const path = prefix ? `${prefix}.${keyText}` : keyText;
      const valueNode = pair.value as YamlNode | null;
      if (known.has(path)) {
        // An empty value (`port:`) means "not set here", so the default applies.
        const value: unknown = valueNode ? valueNode.toJSON() : null;
        if (value !== null) values.set(path, { value, line: lineOf(keyNode) });
      } else if (prefixes.has(path) && isMap(valueNode)) {
        walk(valueNode, path);
      } else {
        const hint = suggest(path, known);
        problems.push({
          source: `${displayPath}:${lineOf(keyNode)}`,
          path,
          message: `unknown key${hint ? ` (did you mean ${hint}?)` : ""}`,
        });
      }
    }
  };
  walk(doc.contents, "");
  return { path: displayPath, values, problems };
}

/** Validate a whole config file against every declared setting: what `muniops config check` runs. */
export function checkConfigFile(path: string): void {
  if (!existsSync(path)) throw new UsageError(`config file ${path} does not exist`);
  const file = parseConfigText(readTextFile(path, "config file"), path);
  const problems = [...file.problems];
  for (const [key, entry] of file.values) {
    const setting = catalogue.get(key);
    if (!setting) continue;
    const parsed = setting.schema.safeParse(entry.value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const sub = issue.path.length > 0 ? `.${issue.path.join(".")}` : "";
        const shown = setting.secret ? "" : `, got ${formatValue(entry.value)}`;
        problems.push({ source: `${path}:${entry.line}`, path: key + sub, message: `${issue.message}${shown}` });
      }
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
}

function suggest(input: string, candidates: Iterable<string>): string | undefined {
  let best: { key: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(input, candidate);
    if (!best || distance < best.distance) best = { key: candidate, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(input.length / 4)) ? best.key : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_v, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] ?? 0;
      row[j] = Math.min(current + 1, (row[j - 1] ?? 0) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] ?? 0;
}

export { z };
