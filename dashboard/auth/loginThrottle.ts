// Login throttling by progressive delay, per username and per client address, instead of a lockout: a
// hard lockout after five failures let a stranger lock any account, the admin's included, for 15 minutes.
// Here the first `freeFailures` failures cost nothing; after that each further attempt must wait, the wait
// doubling per failure up to a cap. The cap per username is short (a stranger can slow the admin down, not
// lock them out), the cap per address long (an address that keeps guessing only slows itself).
//
// Every attempt counts as a failure the moment it starts (settled when its outcome is known): a burst of
// parallel guesses cannot all pass the check before the first failure is recorded. In memory: a replica
// throttles its own share of the attempts, which is what the load balancer spreads.

export interface ThrottlePolicy {
  /** Failures allowed before attempts must wait. */
  freeFailures: number;
  /** The wait after the first failure beyond the free ones; each further failure doubles it. */
  firstDelayMs: number;
  maxDelayMs: number;
}

/** What one key (a username or an address) has failed lately. */
interface FailureRecord {
  failures: number;
  lastFailureAt: number;
}

export interface ThrottleKey {
  key: string;
  policy: ThrottlePolicy;
}

/** Failures are forgotten after this long without another. */
const forgetAfterMs = 15 * 60_000;
/** Most keys remembered: past this the oldest are dropped, so sprayed usernames cannot fill the memory. */
const maxKeys = 100_000;

export class LoginThrottle {
  private readonly records = new Map<string, FailureRecord>();

  /** The wait `record` imposes on the next attempt, in ms from its last failure. */
  static delayMs(policy: ThrottlePolicy, failures: number): number {
    const beyond = failures - policy.freeFailures;
    if (beyond < 0) return 0;
    return Math.min(policy.firstDelayMs * 2 ** Math.min(beyond, 30), policy.maxDelayMs);
  }

  private current(key: string, now: number): FailureRecord | undefined {
    const record = this.records.get(key);
    if (record && now - record.lastFailureAt >= forgetAfterMs) {
      this.records.delete(key);
      return undefined;
    }
    return record;
  }

  /** Whole seconds until an attempt under all of `keys` is allowed; 0 when one is allowed now. */
  retryAfter(keys: readonly ThrottleKey[], now = Date.now()): number {
    let waitMs = 0;
    for (const { key, policy } of keys) {
      const record = this.current(key, now);
      if (!record) continue;
      waitMs = Math.max(waitMs, record.lastFailureAt + LoginThrottle.delayMs(policy, record.failures) - now);
    }
    return waitMs > 0 ? Math.ceil(waitMs / 1000) : 0;
  }

  /** An attempt starts: counted as a failure under every key until `succeeded` takes it back. */
  attempt(keys: readonly ThrottleKey[], now = Date.now()): void {
    for (const { key } of keys) {
      const failures = (this.current(key, now)?.failures ?? 0) + 1;
      // delete first: the map's order is then least recently failed first, the order to drop in
      this.records.delete(key);
      this.records.set(key, { failures, lastFailureAt: now });
    }
    for (const oldest of this.records.keys()) {
      if (this.records.size <= maxKeys) break;
      this.records.delete(oldest);
    }
  }

  /**
   * The attempt succeeded: `forget` keys start afresh (the username's), `uncount` keys lose this attempt
   * only (the address's: one valid login must not wipe the failures of guesses at other accounts).
   */
  succeeded(forget: readonly ThrottleKey[], uncount: readonly ThrottleKey[]): void {
    for (const { key } of forget) this.records.delete(key);
    for (const { key } of uncount) {
      const record = this.records.get(key);
      if (!record) continue;
      if (record.failures <= 1) this.records.delete(key);
      else record.failures -= 1;
    }
  }
}
