// The rollouts the operations page and API show: the records of `muniops agents deploy` (change evidence,
// BIO2 change management). The file is the one the rollout writes, found through the same setting
// (rollout.historyFile: MUNIOPS_ROLLOUT_HISTORY_FILE, or the default in the user's data directory).
// Someone limited to some departments sees only their hosts' rows, and only rollouts that touched them.
import { rolloutHistoryFileSetting, type RolloutRecord } from "../../contracts/rolloutHistory.js";
import { resolveSettings } from "../../settings.js";
import { departmentScope, type Principal } from "../auth/roles.js";
import { recentRollouts } from "../data-access/rolloutHistory.js";
import type { DashboardService } from "./dashboardService.js";
import { visibleHosts } from "./hostViews.js";

export const rolloutsShown = 20;

export function rolloutHistoryFile(): string {
  return resolveSettings({ historyFile: rolloutHistoryFileSetting }).historyFile;
}

export async function visibleRollouts(
  service: DashboardService,
  principal: Principal,
  limit = rolloutsShown,
  path: string = rolloutHistoryFile(),
): Promise<RolloutRecord[]> {
  const records = await recentRollouts(path, limit);
  if (!departmentScope(principal)) return records;
  const names = new Set((await visibleHosts(service, principal)).visible.map((h) => h.name));
  return records
    .map((r) => ({ ...r, hosts: r.hosts.filter((h) => names.has(h.host)) }))
    .filter((r) => r.hosts.length > 0);
}
