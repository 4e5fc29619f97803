// One way to read a YAML file, for every file muniops reads (config, stack settings, waivers, master data,
// the agent's web config): bounded in bytes and in alias expansions (a 1 KB "billion laughs" file must not
// take the process down), and every error names the file, with line and column for a syntax error.
// Only `parseDocument` and `LineCounter` are used: the agent bundle's lazy YAML facade provides those.
import { readFileSync, statSync } from "node:fs";
import { LineCounter, parseDocument, type Document, type Node as YamlNode } from "yaml";
import { UsageError } from "./errors.js";

export interface YamlLimits {
  /** Bytes the file may have (default 1 MiB; master data imports allow more). */
  maxBytes?: number;
  /** Alias expansions the document may need (the `yaml` package's maxAliasCount; default 100). */
  maxAliasCount?: number;
}

export interface YamlReadOptions extends YamlLimits {
  /** Added to the message when the file does not exist, e.g. how such files are named. */
  missingHint?: string;
}

export const defaultYamlLimits: Required<YamlLimits> = { maxBytes: 1024 * 1024, maxAliasCount: 100 };

export interface YamlSyntaxProblem {
  line: number;
  col: number;
  /** `YAML syntax error at column 7: …`, the first line of the parser's message. */
  message: string;
}

export interface ParsedYaml {
  doc: Document.Parsed;
  lineCounter: LineCounter;
  /** Syntax errors (when any, the document is not to be used). */
  errors: YamlSyntaxProblem[];
  lineOf: (node: YamlNode | null | undefined) => number;
}

/** A YAML file that could not be read or is too costly to read; the message names the file. */
export class YamlFileError extends UsageError {
  constructor(
    readonly path: string,
    readonly reason: "missing" | "directory" | "unreadable" | "too-big" | "aliases",
    message: string,
  ) {
    super(message);
    this.name = "YamlFileError";
  }
}

/**
 * The text of a file (YAML, or a CSV beside it), refused before it is read when it is missing, a directory
 * or too big.
 * `what` names the file's role in messages ("waivers file", "config file"); `missingHint` is added when
 * it does not exist (e.g. how the file is named).
 */
export function readTextFile(path: string, what: string, options: YamlReadOptions = {}): string {
  const maxBytes = options.maxBytes ?? defaultYamlLimits.maxBytes;
  const fail = (reason: YamlFileError["reason"], detail: string): YamlFileError =>
    new YamlFileError(path, reason, `couldn't read ${what} ${path}: ${detail}`);
  try {
    const stats = statSync(path);
    if (stats.isDirectory()) throw fail("directory", "it is a directory, not a YAML file");
    const limit = `the ${maxBytes} bytes a ${what} may have`;
    if (stats.size > maxBytes) throw fail("too-big", `it has ${stats.size} bytes, more than ${limit}`);
    const text = readFileSync(path, "utf8");
    // the file may have grown between the two calls
    if (Buffer.byteLength(text) > maxBytes) throw fail("too-big", `it has more than ${limit}`);
    return text;
  } catch (error) {
    if (error instanceof YamlFileError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const hint = options.missingHint ? ` (${options.missingHint})` : "";
    if (code === "ENOENT") throw fail("missing", `no such file${hint}`);
    throw fail("unreadable", code ?? (error as Error).message);
  }
}

/**
 * Parse YAML text read from `path`. Syntax errors are returned (each caller reports them in its own
 * form, with line and column); an alias bomb is refused, naming the file.
 */
export function parseYaml(text: string, path: string, what: string, limits: YamlLimits = {}): ParsedYaml {
  const maxAliasCount = limits.maxAliasCount ?? defaultYamlLimits.maxAliasCount;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const lineOf = (node: YamlNode | null | undefined): number =>
    node?.range ? lineCounter.linePos(node.range[0]).line : 1;
  const errors = doc.errors.map((e) => {
    const { line, col } = lineCounter.linePos(e.pos[0]);
    return { line, col, message: `YAML syntax error at column ${col}: ${e.message.split("\n")[0] ?? e.code}` };
  });
  if (errors.length === 0) {
    try {
      // Resolving every alias once, with a budget, before any caller converts a node: the expansion a
      // bomb needs is refused here, and what passes is bounded for every later conversion too.
      doc.toJS({ maxAliasCount });
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      const bomb = /alias/i.test(detail);
      const message = bomb ? `it needs more than ${maxAliasCount} YAML alias expansions (an alias bomb?)` : detail;
      throw new YamlFileError(path, bomb ? "aliases" : "unreadable", `couldn't read ${what} ${path}: ${message}`);
    }
  }
  return { doc, lineCounter, errors, lineOf };
}

/** Read and parse a YAML file within the limits. */
export function readYamlFile(path: string, what: string, options: YamlReadOptions = {}): ParsedYaml {
  return parseYaml(readTextFile(path, what, options), path, what, options);
}
