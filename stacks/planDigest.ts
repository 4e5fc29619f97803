// Turns the registrations recorded under mocks into the document `pulumi preview --json --show-sames`
// prints for a stack that doesn't exist yet (ShowPreviewDigest, pkg/backend/display/json.go): the root
// stack, then one "create" step per resource in registration order, secrets shown as "[secret]". Like the
// CLI it prints no step for a default provider (shouldReportStep, pkg/engine) though resources still name
// it as their provider; no outputs (a create step's state is captured before the resource exists); empty
// fields left out (ResourceV3's omitempty); and a changeSummary counting the printed steps.
import { previewDigest, unknownValue, type PreviewDigest, type PreviewStep } from "../contracts/pulumiDocuments.js";
import type { Registration } from "./planMocks.js";

export const projectName = "muniops";
export const azureNativeVersion = "3.28.0";
const secretSig = "1b47061264138c4ac30d75fd1eb44270";
const resourceRefSig = "5cf8f73096256a8f31e491e813e4eb8e";
const sigKey = "4dabf18193072939515e22adb298388d";

export function stackUrn(stack: string): string {
  return `urn:pulumi:${stack}::${projectName}::pulumi:pulumi:Stack::${projectName}-${stack}`;
}

export function defaultProviderUrn(stack: string): string {
  return (
    `urn:pulumi:${stack}::${projectName}::pulumi:providers:azure-native::` +
    `default_${azureNativeVersion.replace(/\./g, "_")}`
  );
}

/** Secrets become "[secret]" and resource references their URN, as the CLI's JSON display does. */
export function displayValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(displayValue);
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  if (record[sigKey] === secretSig) return "[secret]";
  if (record[sigKey] === resourceRefSig) return record.urn;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(record)) if (inner !== undefined) out[key] = displayValue(inner);
  return out;
}

export function buildDigest(
  stack: string,
  registrations: readonly Registration[],
  config: Record<string, string>,
): PreviewDigest {
  const root = stackUrn(stack);
  const provider = defaultProviderUrn(stack);
  // During a preview the default provider has no id yet: the CLI shows the unknown sentinel.
  const providerRef = `${provider}::${unknownValue}`;
  const steps: PreviewStep[] = [
    { op: "create", urn: root, newState: { urn: root, custom: false, type: "pulumi:pulumi:Stack" } },
  ];
  for (const r of registrations) {
    if (r.type === "pulumi:pulumi:Stack") continue;
    const explicitProvider = r.provider === "" ? undefined : r.provider;
    const providerOf = r.custom
      ? (explicitProvider ?? (r.type.startsWith("azure-native:") ? providerRef : undefined))
      : undefined;
    const inputs = displayValue(r.inputs) as Record<string, unknown>;
    const hasPropertyDependencies = Object.keys(r.propertyDependencies).length > 0;
    steps.push({
      op: "create",
      urn: r.urn,
      ...(providerOf ? { provider: providerOf } : {}),
      newState: {
        urn: r.urn,
        custom: r.custom,
        type: r.type,
        ...(Object.keys(inputs).length > 0 ? { inputs } : {}),
        parent: r.parent === "" ? root : r.parent,
        ...(r.dependencies.length > 0 ? { dependencies: r.dependencies } : {}),
        ...(hasPropertyDependencies ? { propertyDependencies: r.propertyDependencies } : {}),
        ...(providerOf ? { provider: providerOf } : {}),
      },
    });
  }
  return previewDigest.parse({ config, steps, changeSummary: { create: steps.length } });
}
