// The documents the Pulumi CLI writes that muniops reads, typed once for every part (the plan writer in
// stacks/, the audit in policies/, the dashboard's compliance page). Shapes follow pulumi/pulumi v3.248:
// - `pulumi preview --json`: PreviewDigest, PreviewStep, PreviewDiagnostic in sdk/pkg/display/json.go,
//   filled by ShowPreviewDigest in pkg/backend/display/json.go;
// - resource states (a step's oldState/newState, a stack export's resources): ResourceV3 in
//   sdk/go/common/apitype/core.go;
// - `pulumi stack export`: UntypedDeployment { version, deployment: DeploymentV3 } in the same file;
// - the streaming preview (PULUMI_ENABLE_STREAMING_JSON_PREVIEW=1): one EngineEvent per line,
//   sdk/go/common/apitype/events.go.
// Every object is loose: the CLI adds fields over time ("DO make anything new be optional"), and a
// reader must not reject a newer CLI's document for a field it does not need.
import { z } from "zod";

/** The value Pulumi puts in place of an output that is not known until `pulumi up` (a string unknown). */
export const unknownValue = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** The key that marks a special value (secret, asset, resource reference) in serialized state. */
export const signatureKey = "4dabf18193072939515e22adb298388d";
export const secretSignature = "1b47061264138c4ac30d75fd1eb44270";
export const resourceReferenceSignature = "5cf8f73096256a8f31e491e813e4eb8e";
/** What the CLI's JSON display prints for a secret value (MassageSecrets in pkg/backend/display/json.go). */
export const secretDisplayValue = "[secret]";

/** The step operations of pulumi v3.248 (pkg/resource/deploy/step.go); a newer CLI may add others. */
export const knownStepOps = [
  "same",
  "create",
  "update",
  "delete",
  "replace",
  "create-replacement",
  "delete-replaced",
  "read",
  "read-replacement",
  "refresh",
  "discard",
  "discard-replaced",
  "remove-pending-replace",
  "import",
  "import-replacement",
] as const;

const propertyMap = z.record(z.string(), z.unknown());

/** ResourceV3 (apitype/core.go): a resource's state in a step or a deployment. */
export const resourceState = z.looseObject({
  urn: z.string(),
  custom: z.boolean().optional(),
  delete: z.boolean().optional(),
  id: z.string().optional(),
  type: z.string(),
  inputs: propertyMap.optional(),
  outputs: propertyMap.optional(),
  parent: z.string().optional(),
  protect: z.boolean().optional(),
  external: z.boolean().optional(),
  provider: z.string().optional(),
  dependencies: z.array(z.string()).optional(),
  propertyDependencies: z.record(z.string(), z.array(z.string())).optional(),
  pendingReplacement: z.boolean().optional(),
});

export const previewStep = z.looseObject({
  // A string, not an enum: an operation a newer CLI adds must not reject the whole document.
  op: z.string(),
  urn: z.string(),
  provider: z.string().optional(),
  oldState: resourceState.optional(),
  newState: resourceState.optional(),
  diffReasons: z.array(z.string()).optional(),
  replaceReasons: z.array(z.string()).optional(),
  detailedDiff: z.record(z.string(), z.unknown()).optional().nullable(),
});

/** PreviewDiagnostic: severity is diag.Severity ("debug", "info", "info#err", "warning", "error"). */
export const previewDiagnostic = z.looseObject({
  urn: z.string().optional(),
  prefix: z.string().optional(),
  message: z.string().optional(),
  severity: z.string().optional(),
});

/** PreviewDigest: `steps`, `diagnostics` and `changeSummary` are omitempty (a failed preview may have none). */
export const previewDigest = z.looseObject({
  config: z.record(z.string(), z.unknown()).optional(),
  steps: z.array(previewStep).optional(),
  diagnostics: z.array(previewDiagnostic).optional(),
  duration: z.number().optional(),
  changeSummary: z.record(z.string(), z.number()).optional(),
  maybeCorrupt: z.boolean().optional(),
});

/** `pulumi stack export`: UntypedDeployment wrapping a DeploymentV3. */
export const stackExport = z.looseObject({
  version: z.number().int(),
  deployment: z.looseObject({
    manifest: z
      .looseObject({ time: z.string().optional(), magic: z.string().optional(), version: z.string().optional() })
      .optional(),
    resources: z.array(resourceState).optional(),
  }),
});

/** StepEventStateMetadata (apitype/events.go): a state in an engine event; it carries no dependencies. */
export const eventState = z.looseObject({
  type: z.string(),
  urn: z.string(),
  custom: z.boolean().optional(),
  delete: z.boolean().optional(),
  id: z.string().optional(),
  parent: z.string().optional(),
  inputs: propertyMap.nullable().optional(),
  outputs: propertyMap.nullable().optional(),
  provider: z.string().optional(),
});

export const stepEventMetadata = z.looseObject({
  op: z.string(),
  urn: z.string(),
  type: z.string(),
  old: eventState.nullable().optional(),
  new: eventState.nullable().optional(),
  provider: z.string().optional(),
});

/** EngineEvent (apitype/events.go): exactly one of the event fields is set; the rest are ignored here. */
export const engineEvent = z.looseObject({
  sequence: z.number(),
  timestamp: z.number().optional(),
  preludeEvent: z.looseObject({ config: z.record(z.string(), z.string()).nullable().optional() }).optional(),
  resourcePreEvent: z.looseObject({ metadata: stepEventMetadata, planning: z.boolean().optional() }).optional(),
  diagnosticEvent: z
    .looseObject({
      urn: z.string().optional(),
      prefix: z.string().optional(),
      message: z.string(),
      severity: z.string(),
      ephemeral: z.boolean().optional(),
    })
    .optional(),
  summaryEvent: z
    .looseObject({
      resourceChanges: z.record(z.string(), z.number()).nullable().optional(),
      isPreview: z.boolean().optional(),
    })
    .optional(),
});

export type PreviewDigest = z.infer<typeof previewDigest>;
export type PreviewStep = z.infer<typeof previewStep>;
export type PreviewDiagnostic = z.infer<typeof previewDiagnostic>;
export type StepState = z.infer<typeof resourceState>;
export type StackExport = z.infer<typeof stackExport>;
export type EngineEvent = z.infer<typeof engineEvent>;
export type EventState = z.infer<typeof eventState>;
