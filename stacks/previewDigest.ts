// The `pulumi preview --json` document (Pulumi's PreviewDigest, pkg/display/json.go). `muniops plan`
// writes it from the program evaluated under mocks; `muniops audit`, the cost forecast and the inventory
// read it, so they work the same on a real preview taken in production. Unknown fields are kept: the
// real CLI adds some (diagnostics, duration) that readers do not need.
import { z } from "zod";

export const stepOps = ["same", "create", "update", "delete", "replace", "create-replacement", "delete-replaced", "read", "read-replacement", "refresh", "discard", "discard-replaced", "remove-pending-replace", "import", "import-replacement"] as const;

export const stepState = z.looseObject({
  urn: z.string(),
  custom: z.boolean().optional(),
  delete: z.boolean().optional(),
  id: z.string().optional(),
  type: z.string(),
  inputs: z.record(z.string(), z.unknown()).optional(),
  outputs: z.record(z.string(), z.unknown()).optional(),
  parent: z.string().optional(),
  protect: z.boolean().optional(),
  provider: z.string().optional(),
  dependencies: z.array(z.string()).optional(),
  propertyDependencies: z.record(z.string(), z.array(z.string())).optional(),
});

export const previewStep = z.looseObject({
  op: z.enum(stepOps),
  urn: z.string(),
  provider: z.string().optional(),
  oldState: stepState.optional(),
  newState: stepState.optional(),
  diffReasons: z.array(z.string()).optional(),
  replaceReasons: z.array(z.string()).optional(),
  detailedDiff: z.record(z.string(), z.unknown()).optional().nullable(),
});

export const previewDigest = z.looseObject({
  config: z.record(z.string(), z.unknown()).optional(),
  steps: z.array(previewStep),
  diagnostics: z.array(z.unknown()).optional(),
  duration: z.number().optional(),
  changeSummary: z.record(z.string(), z.number()).optional(),
  maybeCorrupt: z.boolean().optional(),
});

export type PreviewDigest = z.infer<typeof previewDigest>;
export type PreviewStep = z.infer<typeof previewStep>;
export type StepState = z.infer<typeof stepState>;

/** The value Pulumi puts in place of an output that is not known until `pulumi up`. */
export const unknownValue = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
