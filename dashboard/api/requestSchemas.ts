// The bodies of the state-changing API requests: validated by the handlers, documented in the OpenAPI
// file from the same definitions.
import { z } from "zod";
import { daySchema, departmentIdSchema, euroAmountSchema, periodSchema, rateAmountSchema } from "./validation.js";

export const closeBody = z.strictObject({ confirm: z.literal(true, "must be true: closing a month cannot be undone"), acceptGaps: z.boolean().default(false) });
export const signOffBody = z.strictObject({ status: z.enum(["signed-off", "disputed"]), comment: z.string().trim().max(2000).optional() });
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
  prices: z.record(z.string().regex(/^[a-z]+\.[A-Za-z]+$/, "a rate key like compute.vcpuHour"), rateAmountSchema).refine((p) => Object.keys(p).length > 0 && Object.keys(p).length <= 50, "between 1 and 50 prices"),
});
export const assignmentBody = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "lowercase letters, digits and dashes"),
  productId: z.string().min(1).max(64),
  department: departmentIdSchema,
  seats: z.number().int().min(0).max(1_000_000),
  validFrom: daySchema,
  validTo: daySchema.nullable().default(null),
});
