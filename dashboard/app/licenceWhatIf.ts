// The licence what-if for the CLI, the API and the licences page: one input schema, one JSON shape, and the
// department scoping. A department controller prices changes for their own departments only, and sees
// only their own charge: free seats, purchases and central ICT's unrecovered cost are organisation-wide.
import { z } from "zod";
import type { Principal } from "../auth/roles.js";
import { departmentScope } from "../auth/roles.js";
import { licenceWhatIf, type Delta } from "../domain/licenceWhatIf.js";
import { formatEuros, formatMicroEuros } from "../domain/money.js";
import { currentPeriod, nextPeriod } from "../domain/period.js";
import type { MasterData } from "../domain/records.js";
import { assertDepartment } from "./departmentAccess.js";
import { departmentIdSchema, periodSchema } from "./validation.js";

export const licenceWhatIfQuery = z.strictObject({
  department: departmentIdSchema,
  product: z.string().min(1).max(100),
  seats: z
    .string()
    .regex(/^[+-]?\d{1,6}$/, "a whole number of seats to add (+5) or give up (-5)")
    .transform((s) => Number(s)),
  months: z.coerce.number().int().min(1).max(60).default(12),
  from: periodSchema.optional(),
});
export type LicenceWhatIfQuery = z.infer<typeof licenceWhatIfQuery>;

type DeltaJson = { before: string; after: string; delta: string };

export interface LicenceWhatIfJson {
  department: string;
  product: string;
  productName: string;
  seats: number;
  from: string;
  to: string;
  currency: "EUR";
  seatsHeld: number;
  months: { period: string; charged: DeltaJson; unrecovered?: DeltaJson; purchased?: DeltaJson }[];
  total: { charged: DeltaJson; unrecovered?: DeltaJson; purchased?: DeltaJson };
  /** Organisation-wide figures, absent for a department controller. */
  freeSeatsUsed?: number;
  seatsToBuy?: number;
  newSeatPrice?: string | null;
}

const json = (d: Delta): DeltaJson => ({
  before: formatEuros(d.before),
  after: formatEuros(d.after),
  delta: formatEuros(d.delta),
});

/** Price the change; `principal` undefined is the CLI (whoever may read the ledger sees everything). */
export function licenceWhatIfView(
  master: Pick<MasterData, "departments" | "licenceProducts" | "licenceContracts" | "licenceAssignments">,
  query: LicenceWhatIfQuery,
  principal: Principal | undefined,
  now: number,
): LicenceWhatIfJson {
  if (principal) assertDepartment(principal, query.department);
  const from = query.from ?? nextPeriod(currentPeriod(now));
  const r = licenceWhatIf(master, { ...query, from });
  const own = principal !== undefined && departmentScope(principal) !== undefined;
  const organisation = (d: { unrecovered: Delta; purchased: Delta }) =>
    own ? {} : { unrecovered: json(d.unrecovered), purchased: json(d.purchased) };
  return {
    department: r.department,
    product: r.product,
    productName: r.productName,
    seats: r.seats,
    from: r.from,
    to: r.to,
    currency: "EUR",
    seatsHeld: r.seatsHeld,
    months: r.months.map((m) => ({ period: m.period, charged: json(m.charged), ...organisation(m) })),
    total: { charged: json(r.total.charged), ...organisation(r.total) },
    ...(own
      ? {}
      : {
          freeSeatsUsed: r.freeSeatsUsed,
          seatsToBuy: r.seatsToBuy,
          newSeatPrice: r.newSeatPriceMicro === null ? null : formatMicroEuros(r.newSeatPriceMicro),
        }),
  };
}
