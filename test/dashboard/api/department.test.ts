// The department page's efficiency and storage trend: hosts carry provisioned capacity beside their
// last measured CPU and memory use, and disk and share use per month comes from the ledger (the hand
// month: burgerzaken held 100 GB on disk and 500 GB on its share all October; ict's host from the 11th).
import { describe, expect, test } from "vitest";
import { useTestDashboard } from "./testServer.js";

const t = useTestDashboard(["manager"]);

interface Detail {
  storageTrend: { period: string; diskGb: string | null; shareGb: string | null }[];
  hosts: {
    name: string;
    vcpus: number;
    memoryMib: number;
    cpuBusyPercent: string | null;
    memoryUsedPercent: string | null;
  }[];
}

const detail = async (id: string, period: string): Promise<Detail> =>
  (await (await t.manager.get(`/api/v1/departments/${id}?period=${period}`)).json()) as Detail;

describe("department efficiency and storage trend", () => {
  test("twelve months of average disk and share use, empty where nothing was measured", async () => {
    const bz = await detail("burgerzaken", "2026-11");
    expect(bz.storageTrend.map((r) => r.period)).toEqual([
      "2025-12",
      "2026-01",
      "2026-02",
      "2026-03",
      "2026-04",
      "2026-05",
      "2026-06",
      "2026-07",
      "2026-08",
      "2026-09",
      "2026-10",
      "2026-11",
    ]);
    expect(bz.storageTrend.find((r) => r.period === "2026-10")).toEqual({
      period: "2026-10",
      diskGb: "100.0",
      shareGb: "500.0",
    });
    expect(
      bz.storageTrend.filter((r) => r.period !== "2026-10").every((r) => r.diskGb === null && r.shareGb === null),
    ).toBe(true);
    // averaged over the days the host existed, not the whole month
    expect((await detail("ict", "2026-10")).storageTrend.at(-1)).toEqual({
      period: "2026-10",
      diskGb: "200.0",
      shareGb: null,
    });
  });

  test("hosts show provisioned capacity beside measured use; the page has both and the trend", async () => {
    const bz = await detail("burgerzaken", "2026-10");
    expect(bz.hosts).toEqual([
      expect.objectContaining({
        name: "bz-app-01",
        vcpus: 4,
        memoryMib: 16384,
        cpuBusyPercent: null,
        memoryUsedPercent: null,
      }),
    ]);
    const page = await (
      await t.manager.get("/departments/burgerzaken?period=2026-11", { headers: { accept: "text/html" } })
    ).text();
    expect(page).toContain("Schijf- en sharegebruik per maand");
    expect(page).toMatch(/<th scope="row">2026-10<\/th><td class="num">100<\/td><td class="num">500<\/td>/);
    expect(page).toContain("CPU bezet");
  });
});
