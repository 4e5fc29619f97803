// Run the same suite against both ledger backends: a temporary SQLite file, and a fresh PostgreSQL
// database on 127.0.0.1:5432 (created per test file, dropped after).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { openLedger, type Ledger } from "../../../dashboard/data-access/database.js";

export const postgresAdminUrl = process.env.MUNIOPS_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export interface TestBackend {
  name: "sqlite" | "postgres";
  /** A URL for a new, empty ledger. */
  createUrl(): Promise<string>;
  /** Remove everything createUrl made. */
  cleanup(): Promise<void>;
}

export function sqliteBackend(): TestBackend {
  const dirs: string[] = [];
  return {
    name: "sqlite",
    createUrl() {
      const dir = mkdtempSync(join(tmpdir(), "muniops-ledger-"));
      dirs.push(dir);
      return Promise.resolve(join(dir, "ledger.db"));
    },
    cleanup() {
      for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
      return Promise.resolve();
    },
  };
}

export function postgresBackend(): TestBackend {
  const databases: string[] = [];
  const admin = async <T>(fn: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: postgresAdminUrl });
    try {
      await client.connect();
    } catch (error) {
      throw new Error(
        `PostgreSQL is needed on ${postgresAdminUrl} for the ledger tests (bash .ci/run starts it): ` +
          (error as Error).message,
        { cause: error },
      );
    }
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  };
  return {
    name: "postgres",
    async createUrl() {
      const name = `muniops_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
      await admin((c) => c.query(`CREATE DATABASE ${name}`));
      databases.push(name);
      const url = new URL(postgresAdminUrl);
      url.pathname = `/${name}`;
      return url.toString();
    },
    async cleanup() {
      for (const name of databases.splice(0))
        await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

export const backends = [sqliteBackend(), postgresBackend()];

export async function freshLedger(backend: TestBackend): Promise<Ledger> {
  return openLedger(await backend.createUrl(), { create: true });
}
