// The shape every benchmark file (bench/<name>.bench.ts) exports by default.

export interface BenchResult {
  benchmark: string;
  metric: string;
  value: number;
  unit: string;
  /** The same metric for the reference measured in the same run (node_exporter, bare node:http, …). */
  reference?: number;
  referenceName?: string;
  /** The target, as text, e.g. "ratio ≤ 1.0". */
  target?: string;
  ok?: boolean;
  note?: string;
}

export interface Benchmark {
  name: string;
  run(): Promise<BenchResult[]>;
}
