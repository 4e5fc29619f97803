// The dashboard's scheduled work (metering every minute, the hourly session purge) runs in one instance at a
// time. On PostgreSQL the instances campaign for an advisory lock (data-access/leaderLock.ts): the holder
// works; the others retry every `retryMs`, so one takes over within that when the holder dies. A holder that
// loses its lock connection stops working at once, since another instance may already have the lock; the
// work itself is safe to overlap for a moment (each hour is one transaction, one row per host, meter and
// hour), only never to run side by side for long. On SQLite the one process leads from the start.
import { logger } from "../../logger.js";
import type { Ledger } from "../data-access/database.js";
import { connectForLeadership, type LeaderConnection } from "../data-access/leaderLock.js";
import { purgeExpiredSessions } from "../auth/userStore.js";

export interface Work {
  stop(): Promise<void>;
}

export interface ScheduledWorkOptions {
  ledger: Ledger;
  /** The ledger's URL: a PostgreSQL one gets a lock connection of its own. */
  databaseUrl: string;
  /** Starts the metering schedule (undefined: this dashboard does not meter). */
  startMetering?: () => Work;
  /** How often a follower asks for the lock, and the leader checks its connection (default 10 s). */
  retryMs?: number;
  /** Told when this instance starts or stops leading (logs, metrics, tests). */
  onLeading?: (leading: boolean) => void;
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });

function startWork(options: ScheduledWorkOptions): Work {
  const metering = options.startMetering?.();
  const purge = setInterval(() => {
    purgeExpiredSessions(options.ledger).catch((error: unknown) => {
      logger().warn({ err: error }, "session purge failed");
    });
  }, 3_600_000);
  purge.unref();
  return {
    async stop() {
      clearInterval(purge);
      await metering?.stop();
    },
  };
}

/** True while the connection is up and nobody asked to stop. */
function liveness(connection: LeaderConnection, signal: AbortSignal): () => boolean {
  const state = { connected: true };
  void connection.lost.then(() => (state.connected = false));
  return () => state.connected && !signal.aborted;
}

/** Lead while the lock connection lives and answers; resolves when it does not (or on stop). */
async function lead(connection: LeaderConnection, options: ScheduledWorkOptions, signal: AbortSignal): Promise<void> {
  const work = startWork(options);
  options.onLeading?.(true);
  logger().info("this dashboard instance runs the scheduled work (metering, session purge)");
  try {
    const live = liveness(connection, signal);
    while (live()) {
      await Promise.race([sleep(options.retryMs ?? 10_000, signal), connection.lost]);
      if (live()) await connection.heartbeat();
    }
  } catch (error) {
    logger().error({ err: error instanceof Error ? error.message : String(error) }, "lost the scheduled-work lock");
  } finally {
    await work.stop();
    options.onLeading?.(false);
  }
  if (!signal.aborted) logger().warn("stopped the scheduled work: the lock connection was lost; campaigning again");
}

async function campaign(options: ScheduledWorkOptions, signal: AbortSignal): Promise<void> {
  const retryMs = options.retryMs ?? 10_000;
  while (!signal.aborted) {
    let connection: LeaderConnection | undefined;
    try {
      connection = await connectForLeadership(options.databaseUrl);
      const live = liveness(connection, signal);
      while (live()) {
        if (await connection.tryLead()) {
          await lead(connection, options, signal);
          break;
        }
        await Promise.race([sleep(retryMs, signal), connection.lost]);
      }
    } catch (error) {
      logger().warn(
        { err: error instanceof Error ? error.message : String(error) },
        "couldn't campaign for the scheduled-work lock; retrying",
      );
    } finally {
      await connection?.close();
    }
    await sleep(retryMs, signal);
  }
}

export function startScheduledWork(options: ScheduledWorkOptions): Work {
  if (options.ledger.dialect !== "postgres") {
    const work = startWork(options);
    options.onLeading?.(true);
    return {
      async stop() {
        await work.stop();
        options.onLeading?.(false);
      },
    };
  }
  const abort = new AbortController();
  const running = campaign(options, abort.signal);
  return {
    async stop() {
      abort.abort();
      await running;
    },
  };
}
