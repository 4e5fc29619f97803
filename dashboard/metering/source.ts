// Where hourly usage comes from. A source answers, for a range of hours, what it measured per host; an
// hour a host is missing from is a gap, never a zero.

export interface HostHour {
  host: string;
  /** The department label the source attached (Prometheus: from file_sd), if any. */
  department: string | null;
  /** Fraction of the hour the host was up, 0..1; null when unknown. */
  up: number | null;
  fsUsedBytes: bigint | null;
  /** Provisioned capacity as the host reports it: used for hosts the inventory does not list. */
  vcpus: number | null;
  memoryBytes: bigint | null;
}

/** hour (YYYY-MM-DDTHH) → host → measurement. */
export type Measurements = Map<string, Map<string, HostHour>>;

export interface UsageSource {
  readonly name: string;
  /** Measure every hour from `from` to `to` (inclusive). Throws SourceUnavailableError when it can't answer. */
  measure(from: string, to: string): Promise<Measurements>;
  /**
   * A metered driver's quantities (meteredQuantity.ts): per hour from `from` to `to`, per counter of
   * `metrics`, the increase per department label. An hour without a reading is absent (unmeasured).
   */
  measureMetered?(metrics: readonly string[], from: string, to: string): Promise<MeteredHours>;
}

/** hour → metric → department label → thousandths of a unit. */
export type MeteredHours = Map<string, Map<string, Map<string, bigint>>>;

export class SourceUnavailableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "SourceUnavailableError";
  }
}
