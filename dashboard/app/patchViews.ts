// Patch compliance as a person may see it (BIO2 8.08.01): every server's latest patch snapshot judged by the
// one rule (domain/patchCompliance.ts) with the configured waivers as of today, narrowed to the departments
// the principal may see. The read model behind both the patch API and the patch page.
import { z } from "zod";
import { departmentScope, type Principal } from "../auth/roles.js";
import { latestPatchStates } from "../data-access/patchSnapshots.js";
import { loadMasterData } from "../data-access/masterData.js";
import type { LedgerDb } from "../data-access/database.js";
import { patchCompliance, type PatchCompliance } from "../domain/patchCompliance.js";
import { loadWaivers } from "../../policies/waivers.js";
import { assertDepartment } from "./departmentAccess.js";
import { departmentIdSchema } from "./validation.js";

export const patchFilterSchema = z.strictObject({
  department: z.union([z.literal(""), departmentIdSchema]).optional(),
});

export interface PatchView extends PatchCompliance {
  /** The department asked for, if any. */
  department: string | undefined;
  /** The departments the principal may pick from (those with servers in the snapshot). */
  departmentOptions: string[];
  waiversFile: string;
}

/**
 * The patch compliance `principal` may see. A server's department is the ledger's (from the inventory) where
 * it knows the server, else the label the agent's scrape carried; a controller never sees a server without one.
 */
export async function patchView(
  db: LedgerDb,
  principal: Principal,
  options: { waiversFile: string; now: number; department?: string | undefined },
): Promise<PatchView> {
  if (options.department) assertDepartment(principal, options.department);
  const [states, master] = await Promise.all([latestPatchStates(db), loadMasterData(db)]);
  const departmentOf = new Map(master.hosts.map((h) => [h.name, h.department]));
  const scope = departmentScope(principal);
  const visible = states
    .map((s) => ({ ...s, department: departmentOf.has(s.host) ? (departmentOf.get(s.host) ?? null) : s.department }))
    .filter((s) => !scope || (s.department !== null && scope.includes(s.department)));
  const chosen = options.department ? visible.filter((s) => s.department === options.department) : visible;
  const now = new Date(options.now);
  const waivers = loadWaivers(options.waiversFile, now);
  const departmentOptions = [...new Set(visible.flatMap((s) => (s.department === null ? [] : [s.department])))];
  return {
    ...patchCompliance(chosen, waivers, now.toISOString().slice(0, 10)),
    department: options.department || undefined,
    departmentOptions: departmentOptions.sort(),
    waiversFile: options.waiversFile,
  };
}
