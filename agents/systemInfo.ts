// systeminformation, for what Node's built-ins cannot tell on Windows and macOS (filesystems, network
// counters, OS identity). Most of its calls spawn processes (df, PowerShell, sw_vers), far too slow for
// every scrape, so results are cached for a while and the HELP text of those metrics says so.
// Imported lazily: on Linux the agent never loads it.
import type * as SiModule from "systeminformation";
import type { Systeminformation } from "systeminformation";

type Si = typeof SiModule;

let loaded: Promise<Si> | undefined;

/** Load systeminformation once; on Windows keep one PowerShell warm instead of starting one per call. */
export function systemInformation(platform: NodeJS.Platform = process.platform): Promise<Si> {
  loaded ??= import("systeminformation").then((mod) => {
    // CommonJS module: under tsx and esbuild the namespace may or may not wrap it in `default`.
    const namespace = mod as unknown as Si & { default?: Si };
    const si = namespace.default ?? namespace;
    if (platform === "win32") si.powerShellStart();
    return si;
  });
  return loaded;
}

/** Stop the warm PowerShell, so the agent can exit cleanly. */
export async function releaseSystemInformation(): Promise<void> {
  if (!loaded) return;
  const si = await loaded;
  if (process.platform === "win32") si.powerShellRelease();
}

/** A value refreshed at most every `ttlMs`; concurrent callers share one refresh. */
export class Cached<T> {
  private value: T | undefined;
  private fetchedAt = -Infinity;
  private inFlight: Promise<T> | undefined;

  constructor(
    private readonly fetch: () => Promise<T>,
    private readonly ttlMs: number,
  ) {}

  get(): Promise<T> {
    if (this.value !== undefined && performance.now() - this.fetchedAt < this.ttlMs) return Promise.resolve(this.value);
    this.inFlight ??= this.fetch()
      .then((value) => {
        this.value = value;
        this.fetchedAt = performance.now();
        return value;
      })
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }
}

export type FsSizeData = Systeminformation.FsSizeData;
export type NetworkStatsData = Systeminformation.NetworkStatsData;
export type OsData = Systeminformation.OsData;
