// Which hosts a person may see, and their live status and SLA figures: the read model behind both the
// operations API and the operations page.
import { z } from "zod";
import { departmentScope, type Principal } from "../auth/roles.js";
import type { LedgerDb } from "../data-access/database.js";
import type { Host, HostRecord } from "../domain/records.js";
import { hostSnapshots, monthlyAvailability } from "../data-access/hostStatus.js";
import { hostStatusRows, type HostStatus } from "../domain/operations.js";
import type { DashboardService } from "./dashboardService.js";
import { assertDepartment } from "./departmentAccess.js";
import { departmentIdSchema } from "./validation.js";

export interface HostFilter {
  department?: string | undefined;
  service?: string | undefined;
  environment?: string | undefined;
}

export const hostFilterSchema = z.strictObject({
  department: z.union([z.literal(""), departmentIdSchema]).optional(),
  service: z.string().max(100).optional(),
  environment: z.string().max(50).optional(),
});

/** The hosts `principal` may see, narrowed by the filter; a department outside their scope is refused. */
export async function visibleHosts(
  service: DashboardService,
  principal: Principal,
  filter: HostFilter = {},
): Promise<{ visible: Host[]; hosts: Host[] }> {
  if (filter.department) assertDepartment(principal, filter.department);
  const scope = departmentScope(principal);
  const visible = (await service.masterData()).hosts.filter(
    (h) => !scope || (h.department !== null && scope.includes(h.department)),
  );
  const hosts = visible.filter(
    (h) =>
      (!filter.department || h.department === filter.department) &&
      (!filter.service || h.service === filter.service) &&
      (!filter.environment || h.environment === filter.environment),
  );
  return { visible, hosts };
}

export function statusesOf(
  service: DashboardService,
  hosts: readonly Host[],
  period: string,
  slaTarget: number,
): Promise<HostStatus[]> {
  return loadHostStatuses(service.ledger.db, hosts, period, { target: slaTarget, now: service.nowMs() });
}

/** The status rows of `hosts` with their availability in `period`, read from the ledger. */
export async function loadHostStatuses(
  db: LedgerDb,
  hosts: readonly HostRecord[],
  period: string,
  options: { target: number; now: number },
): Promise<HostStatus[]> {
  const [snapshots, availability] = await Promise.all([
    hostSnapshots(
      db,
      hosts.map((h) => h.name),
    ),
    monthlyAvailability(db, period),
  ]);
  return hostStatusRows(hosts, snapshots, availability, options);
}
