// Parse exposition text into samples, for assertions (a test-side parser, independent of the agent's).
export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export function parseSamples(text: string): ParsedSample[] {
  const samples: ParsedSample[] = [];
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match?.[1] || !match[3]) throw new Error(`unparseable line: ${line}`);
    const labels: Record<string, string> = {};
    for (const m of (match[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      labels[m[1]!] = m[2]!.replace(/\\(.)/g, (_x, c: string) => (c === "n" ? "\n" : c));
    samples.push({
      name: match[1],
      labels,
      value: match[3] === "NaN" ? NaN : Number(match[3].replace(/^\+Inf$/, "Infinity")),
    });
  }
  return samples;
}
