// Live sessions recently read from the ledger, keyed by the SHA-256 of their token (never the token), so
// a request costs a map lookup instead of a query. An entry lives at most `ttlMs` and never past its
// session's expiry. Whoever changes sessions or accounts in this process evicts at once (userStore.ts);
// the dashboard clears the whole cache whenever the ledger changes (data-access/ledgerChanges.ts), which covers
// `muniops users disable` and logouts on other replicas.
import type { Session } from "./userStore.js";

interface Entry {
  session: Session;
  /** The earlier of the cache lifetime and the session's own expiry, in epoch milliseconds. */
  until: number;
}

export class SessionCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs = 60_000,
    /** Only live sessions are cached, but bound the memory anyway: the oldest entry goes first. */
    private readonly maxEntries = 10_000,
  ) {}

  get(idHash: string, now: number): Session | undefined {
    const entry = this.entries.get(idHash);
    if (!entry) return undefined;
    if (now < entry.until) return entry.session;
    this.entries.delete(idHash);
    return undefined;
  }

  set(idHash: string, session: Session, now: number): void {
    this.entries.delete(idHash);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(idHash, { session, until: Math.min(now + this.ttlMs, Date.parse(session.expiresAt)) });
  }

  delete(idHash: string): void {
    this.entries.delete(idHash);
  }

  deleteUser(username: string): void {
    for (const [idHash, entry] of this.entries)
      if (entry.session.principal.username === username) this.entries.delete(idHash);
  }

  clear(): void {
    this.entries.clear();
  }
}
