// Login throttling: at most `limit` failed attempts per client address and per username within a
// sliding window. Keyed both ways so neither one address trying many names nor many addresses trying
// one name gets far. In memory: a dashboard replica limits its own share, which is what the LB spreads.
export class LoginRateLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  private recent(key: string, now: number): number[] {
    const kept = (this.failures.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (kept.length === 0) this.failures.delete(key);
    else this.failures.set(key, kept);
    return kept;
  }

  /** Seconds until another attempt is allowed, or 0 when one is allowed now. */
  retryAfter(keys: readonly string[], now = Date.now()): number {
    let wait = 0;
    for (const key of keys) {
      const times = this.recent(key, now);
      if (times.length >= this.limit) wait = Math.max(wait, Math.ceil(((times[0] ?? now) + this.windowMs - now) / 1000));
    }
    return wait;
  }

  recordFailure(keys: readonly string[], now = Date.now()): void {
    for (const key of keys) this.failures.set(key, [...this.recent(key, now), now]);
  }

  reset(keys: readonly string[]): void {
    for (const key of keys) this.failures.delete(key);
  }
}
