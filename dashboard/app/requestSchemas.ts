// The bodies of the state-changing API requests: validated by the handlers, documented in the OpenAPI
// file from the same definitions.
import { z } from "zod";
import { costDrivers } from "../domain/records.js";
import { daySchema, departmentIdSchema, euroAmountSchema, periodSchema, rateAmountSchema } from "./validation.js";

export const closeBody = z.strictObject({
  confirm: z.literal(true, "must be true: closing a month cannot be undone"),
  acceptGaps: z.boolean().default(false),
});
export const signOffBody = z.strictObject({
  status: z.enum(["signed-off", "disputed"]),
  comment: z.string().trim().max(2000).optional(),
});
export const adjustmentBody = z.strictObject({
  period: periodSchema,
  department: departmentIdSchema,
  amount: euroAmountSchema,
  reason: z.string().trim().min(1, "a reason is required").max(500),
  refersToPeriod: periodSchema.optional(),
});
export const rateVersionBody = z.strictObject({
  validFrom: daySchema,
  note: z.string().trim().max(200).optional(),
  prices: z
    .record(z.string().regex(/^[a-z]+\.[A-Za-z]+$/, "a rate key like compute.vcpuHour"), rateAmountSchema)
    .refine((p) => Object.keys(p).length > 0 && Object.keys(p).length <= 50, "between 1 and 50 prices"),
});
const recordIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "lowercase letters, digits and dashes");
export const assignmentBody = z.strictObject({
  id: recordIdSchema,
  productId: z.string().min(1).max(64),
  department: departmentIdSchema,
  seats: z.number().int().min(0).max(1_000_000),
  validFrom: daySchema,
  validTo: daySchema.nullable().default(null),
});
// A percentage as text (never a float): the command turns it into basis points and checks the sum.
const percentSchema = z
  .string()
  .regex(/^\d{1,3}(\.\d{1,2})?$/, "a percentage with at most 2 decimals, like 60 or 33.33");
export const costItemBody = z.strictObject({
  id: recordIdSchema,
  name: z.string().trim().min(1, "a name is required").max(100),
  monthly: euroAmountSchema
    .refine((amount) => !amount.startsWith("-"), "must not be negative")
    .describe("euros per month, not negative, e.g. 1000.00"),
  driver: z.enum(costDrivers),
  /** Only for the driver `fixed`: department id → percent, summing to 100. */
  percentages: z
    .record(departmentIdSchema, percentSchema)
    .refine((p) => Object.keys(p).length <= 100, "at most 100 departments")
    .nullish()
    .describe(
      'only for the driver "fixed", and required then: department id → percent, summing to 100, e.g. ' +
        '{"burgerzaken": "60", "ict": "40"}',
    ),
  /** Only for the driver `metered`: the counter with a charge_department label the item is split by. */
  metric: z
    .string()
    .regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, "a Prometheus metric name")
    .max(200)
    .nullish()
    .describe(
      'only for the driver "metered" (an item that has one keeps it when omitted): the counter it is split by, ' +
        "e.g. muniops_digital_counter_transactions_total",
    ),
  validFrom: daySchema,
  validTo: daySchema.nullable().default(null),
});

/** A stack name as `muniops audit` records it. */
export const stackSchema = z
  .string()
  .max(200)
  .regex(/^[A-Za-z0-9._/()-]+$/, "a stack name");
/** Running the configured audit takes no input. */
export const runBody = z.strictObject({});
