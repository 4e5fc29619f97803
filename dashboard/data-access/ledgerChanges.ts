// Has anything in the ledger changed since the dashboard last looked? Its caches (computed months,
// sessions, serialised documents) stay valid until a write commits anywhere: through this process, the
// `muniops meter` or `muniops users` CLI, or another dashboard replica. Writes through this process also
// invalidate explicitly; this watch catches every other writer, and is cheap enough to ask on each
// request, so nothing the ledger holds is ever served stale.
// - SQLite: `PRAGMA data_version` on a connection of its own, which changes whenever any other
//   connection (this process's ledger connection included) commits to the file: a few microseconds.
// - PostgreSQL: the current snapshot (xmin:xmax:in-progress xids). Two equal snapshots see the same data,
//   and every commit changes it. It is cluster-wide, so writes to other databases also count: that only
//   costs a recomputation, never a stale answer. One round trip, shared by the requests that arrive while
//   it runs.
import Database from "better-sqlite3";
import { sql } from "kysely";
import type { Ledger } from "./database.js";

export interface LedgerChangeWatch {
  /**
   * A value that differs from the previous one whenever a write may have been committed in between;
   * answered synchronously where reading it needs no I/O (SQLite), to spare every request a promise.
   */
  version(): string | Promise<string>;
  close(): void;
}

export function watchLedgerChanges(ledger: Ledger): LedgerChangeWatch {
  return ledger.dialect === "postgres" ? snapshotWatch(ledger) : dataVersionWatch(ledger.location);
}

function dataVersionWatch(path: string): LedgerChangeWatch {
  const monitor = new Database(path, { readonly: true, fileMustExist: true });
  const dataVersion = monitor.prepare<[], number>("pragma data_version").pluck();
  return {
    version: () => String(dataVersion.get()),
    close: () => {
      monitor.close();
    },
  };
}

function snapshotWatch(ledger: Ledger): LedgerChangeWatch {
  const read = async (): Promise<string> => {
    const { rows } = await sql<{ snapshot: string }>`select pg_current_snapshot()::text as snapshot`.execute(ledger.db);
    return rows[0]?.snapshot ?? "";
  };
  const coalesced = coalesce(read);
  return { version: coalesced, close: () => undefined };
}

/**
 * Share one run of `read` among concurrent callers without ever answering a caller with a result read
 * before it asked: a run already under way may have started before a commit the caller has seen, so
 * later callers wait for it to end and share the next run.
 */
export function coalesce<T>(read: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | undefined;
  let queued: Promise<T> | undefined;
  const start = (): Promise<T> => {
    const run = read().finally(() => {
      if (running === run) running = undefined;
    });
    running = run;
    return run;
  };
  return () => {
    if (!running) return start();
    queued ??= running
      .catch(() => undefined)
      .then(() => {
        queued = undefined;
        return start();
      });
    return queued;
  };
}
