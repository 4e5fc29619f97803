// A strict parser for the Prometheus text format, for the textfile collector: files written by scripts
// are checked before they reach Prometheus, so one malformed file cannot break the whole scrape.
import type { MetricFamily, MetricType, Sample } from "./exposition.js";

const namePattern = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const labelNamePattern = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const types: readonly string[] = ["counter", "gauge", "untyped", "histogram", "summary"];

export class TextFormatError extends Error {
  constructor(line: number, message: string) {
    super(`line ${line}: ${message}`);
    this.name = "TextFormatError";
  }
}

export function parseTextFormat(text: string): MetricFamily[] {
  const families = new Map<string, MetricFamily>();
  const familyFor = (name: string): MetricFamily => {
    let family = families.get(name);
    if (!family) {
      family = { name, help: "", type: "untyped", samples: [] };
      families.set(name, family);
    }
    return family;
  };
  const lines = text.split("\n");
  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    const line = raw.trim();
    if (line === "") return;
    if (line.startsWith("#")) {
      const meta = /^#\s+(HELP|TYPE)\s+(\S+)(?:\s+(.*))?$/.exec(line);
      if (!meta) return; // an ordinary comment
      const [, keyword, name = "", rest = ""] = meta;
      if (!namePattern.test(name)) throw new TextFormatError(lineNo, `invalid metric name ${JSON.stringify(name)}`);
      const family = familyFor(name);
      if (keyword === "HELP") family.help = rest.replace(/\\n/g, "\n").replace(/\\\\/g, "\\");
      else {
        if (!types.includes(rest)) throw new TextFormatError(lineNo, `unknown metric type ${JSON.stringify(rest)}`);
        if (family.samples.length > 0) throw new TextFormatError(lineNo, `TYPE for ${name} after its samples`);
        family.type = rest as MetricType;
      }
      return;
    }
    const sample = parseSampleLine(line, lineNo);
    const base = sample.name.replace(/_(bucket|sum|count)$/, "");
    const parent = families.get(base);
    if (base !== sample.name && parent && (parent.type === "histogram" || parent.type === "summary")) {
      parent.samples.push({ name: sample.name, labels: sample.labels, value: sample.value });
    } else {
      familyFor(sample.name).samples.push({ labels: sample.labels, value: sample.value });
    }
  });
  for (const family of families.values()) {
    const seen = new Set<string>();
    for (const s of family.samples) {
      const key = `${s.name ?? family.name}${JSON.stringify(s.labels ?? {})}`;
      if (seen.has(key))
        throw new TextFormatError(0, `duplicate series ${s.name ?? family.name}${JSON.stringify(s.labels ?? {})}`);
      seen.add(key);
    }
  }
  return [...families.values()].filter((f) => f.samples.length > 0);
}

function parseSampleLine(
  line: string,
  lineNo: number,
): { name: string; labels: Record<string, string>; value: number } {
  const nameMatch = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
  if (!nameMatch) throw new TextFormatError(lineNo, `expected a metric name, got ${JSON.stringify(line.slice(0, 40))}`);
  const name = nameMatch[0];
  let pos = name.length;
  const labels: Record<string, string> = {};
  if (line[pos] === "{") {
    pos++;
    for (;;) {
      while (line[pos] === " ") pos++;
      if (line[pos] === "}") {
        pos++;
        break;
      }
      const labelMatch = /^([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"/.exec(line.slice(pos));
      if (!labelMatch?.[1] || !labelNamePattern.test(labelMatch[1]))
        throw new TextFormatError(lineNo, `malformed label in ${JSON.stringify(line)}`);
      pos += labelMatch[0].length;
      let value = "";
      for (;;) {
        const c = line[pos];
        if (c === undefined) throw new TextFormatError(lineNo, "unterminated label value");
        pos++;
        if (c === '"') break;
        if (c === "\\") {
          const next = line[pos++];
          value += next === "n" ? "\n" : (next ?? "");
        } else value += c;
      }
      if (labelMatch[1] in labels) throw new TextFormatError(lineNo, `label ${labelMatch[1]} given twice`);
      labels[labelMatch[1]] = value;
      while (line[pos] === " ") pos++;
      if (line[pos] === ",") pos++;
      else if (line[pos] !== "}") throw new TextFormatError(lineNo, `expected , or } in ${JSON.stringify(line)}`);
    }
  }
  const rest = line.slice(pos).trim().split(/\s+/);
  if (rest.length === 0 || rest[0] === "") throw new TextFormatError(lineNo, `no value for ${name}`);
  if (rest.length > 1) throw new TextFormatError(lineNo, `${name}: timestamps are not supported in textfiles`);
  return { name, labels, value: parseValue(rest[0] ?? "", lineNo) };
}

function parseValue(text: string, lineNo: number): number {
  if (/^[+]?Inf$/i.test(text)) return Infinity;
  if (/^-Inf$/i.test(text)) return -Infinity;
  if (/^NaN$/i.test(text)) return NaN;
  const value = Number(text);
  if (text === "" || Number.isNaN(value)) throw new TextFormatError(lineNo, `invalid value ${JSON.stringify(text)}`);
  return value;
}

export type { Sample };
