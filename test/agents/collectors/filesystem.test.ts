// A statfs that never returns (a dead NFS server) must cost only that mount: the collector reports the
// others after --collector.filesystem.mount-timeout, and never stats the hung mount again while its
// first call is still pending (each pending call holds a libuv thread).
import type * as FsPromises from "node:fs/promises";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";

const hung = new Set<string>();
let hungCalls = 0;
vi.mock("node:fs/promises", async (importOriginal) => {
  const actual = await importOriginal<typeof FsPromises>();
  return {
    ...actual,
    statfs: (path: string, options?: { bigint?: false }) => {
      if (hung.has(path)) {
        hungCalls++;
        return new Promise(() => undefined);
      }
      return actual.statfs(path, options);
    },
  };
});

const { createCollectors } = await import("../../../agents/agent.js");

describe("filesystem collector with a hung mount", () => {
  const procfs = mkdtempSync(join(tmpdir(), "muniops-procfs-"));
  afterAll(() => {
    rmSync(procfs, { recursive: true, force: true });
  });

  it("reports the healthy mounts within the mount timeout and does not pile up statfs calls", async () => {
    mkdirSync(join(procfs, "1"));
    writeFileSync(
      join(procfs, "1", "mounts"),
      "/dev/vda / ext4 rw,relatime 0 0\nnas01:/export/archief /mnt/archief nfs4 rw,relatime 0 0\nproc /proc " +
        "proc rw 0 0\n",
    );
    hung.add("/mnt/archief");
    const [filesystem] = createCollectors({
      collectors: ["filesystem"],
      collectorOptions: { filesystem: { mountTimeout: 0.2 } },
      environment: { procfs, rootfs: "/" },
    });
    for (let round = 0; round < 3; round++) {
      const started = performance.now();
      const families = await filesystem!.collector.update();
      expect(performance.now() - started).toBeLessThan(1000);
      const size = families.find((f) => f.name === "muniops_filesystem_size_bytes");
      expect(size?.samples.map((s) => s.labels?.mountpoint)).toEqual(["/"]);
    }
    expect(hungCalls).toBe(1);
  });
});
