// Which dashboard runs the scheduled work (metering, the session purge) when several serve one PostgreSQL
// ledger: the one holding a session-level advisory lock on a connection of its own. PostgreSQL releases the
// lock the moment that connection ends, so a killed instance (SIGKILL, a crashed host: its socket closes)
// hands over without anyone having to notice first; a live instance whose connection is lost stops its
// work, because another may already hold the lock. SQLite ledgers are served by one process, which leads.
import pg from "pg";

/** The advisory lock's key: per database, so ledgers on one cluster do not contend. */
export const scheduledWorkLockKey = 6_006_007;

export interface LeaderConnection {
  /** Take the lock if nobody holds it; true while this connection holds it. */
  tryLead(): Promise<boolean>;
  /** A round trip, so a silently dropped connection is noticed (it rejects). */
  heartbeat(): Promise<void>;
  /** Settles when the connection ends or fails: the lock, if held, is gone with it. */
  readonly lost: Promise<Error>;
  close(): Promise<void>;
}

export async function connectForLeadership(databaseUrl: string): Promise<LeaderConnection> {
  const client = new pg.Client({ connectionString: databaseUrl, keepAlive: true });
  let closing = false;
  const lost = new Promise<Error>((resolve) => {
    client.once("error", resolve);
    client.once("end", () => {
      resolve(new Error(closing ? "closed" : "the connection ended"));
    });
  });
  await client.connect();
  await client.query("set application_name = 'muniops dashboard (scheduled work)'");
  return {
    lost,
    async tryLead() {
      const { rows } = await client.query<{ held: boolean }>("select pg_try_advisory_lock($1) as held", [
        scheduledWorkLockKey,
      ]);
      return rows[0]?.held === true;
    },
    async heartbeat() {
      await client.query("select 1");
    },
    async close() {
      closing = true;
      await client.end().catch(() => undefined);
    },
  };
}
