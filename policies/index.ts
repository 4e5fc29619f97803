// The CrossGuard entry point: `pulumi preview --policy-pack policies`. Constructing the PolicyPack starts
// its gRPC server and prints the port, so this is the only module that does it; tests and the offline
// audit import the policies from catalog.ts instead.
//
// Waivers from waivers.yaml apply here as in `muniops audit`: a waived violation is still reported, as
// advisory and prefixed with the waiver, so it never blocks and never disappears; expired or invalid
// waivers are reported by the mandatory stack policy `muniops-waiver-require-valid`.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  PolicyPack,
  type Policies,
  type ReportViolation,
  type ResourceValidationPolicy,
  type StackValidationPolicy,
} from "@pulumi/policy";
import { bioFramework } from "./bioControls.js";
import { policies } from "./catalog.js";
import type { MuniPolicy } from "./policy.js";
import { loadWaivers, matchWaiver, waiverPolicyId, waiverViolations, type WaiverSet } from "./waivers.js";

const waiversFile = process.env.MUNIOPS_AUDIT_WAIVERS ?? join(dirname(fileURLToPath(import.meta.url)), "waivers.yaml");
const waivers: WaiverSet = loadWaivers(waiversFile);

interface PolicyInfo {
  message: string;
  urn?: string;
  enforcementLevel: "advisory";
}

/** Report through CrossGuard, downgrading a waived violation to advisory with the waiver named. */
function waiverAware(
  policy: MuniPolicy,
  report: ReportViolation,
  resource?: { urn: string; type: string },
): ReportViolation {
  return (message: string, urn?: string) => {
    const target = urn ?? resource?.urn;
    const waiver = matchWaiver(waivers, { policyId: policy.name, urn: target, type: resource?.type });
    if (!waiver) {
      report(message, urn);
      return;
    }
    // CrossGuard accepts a policy-info object here (server.js makeReportViolationFun); the typings do not say so.
    const info: PolicyInfo = {
      message: `[WAIVED ${waiver.id} until ${waiver.waiver?.expiresOn ?? "?"}] ${policy.description}\n${message}`,
      urn: target,
      enforcementLevel: "advisory",
    };
    (report as unknown as (info: PolicyInfo) => void)(info);
  };
}

function toCrossGuard(policy: MuniPolicy): ResourceValidationPolicy | StackValidationPolicy {
  const common = {
    name: policy.name,
    displayName: policy.displayName,
    description: policy.description,
    enforcementLevel: policy.enforcementLevel,
    severity: policy.severity,
    remediationSteps: policy.remediationSteps,
    configSchema: policy.configSchema,
    framework: { ...bioFramework, reference: policy.bioControls.join(", "), specification: policy.description },
    // BIO2 measures and ISO controls as tags: Pulumi's framework metadata holds one framework, the Cloud theme's.
    tags: [
      "bio",
      ...policy.bioControls,
      ...policy.bio2Measures.map((m) => `bio2-${m}`),
      ...policy.isoControls.map((c) => `iso27002-${c}`),
      ...(policy.cisAzure ?? []).map((c) => `cis-azure-${c}`),
    ],
  };
  if (policy.kind === "resource") {
    return {
      ...common,
      validateResource: (args, report) => {
        if (policy.resourceTypes !== "*" && !policy.resourceTypes.includes(args.type)) return;
        policy.validateResource(args, waiverAware(policy, report, { urn: args.urn, type: args.type }));
      },
    };
  }
  return {
    ...common,
    validateStack: (args, report) => {
      policy.validateStack(args, waiverAware(policy, report));
    },
  };
}

const waiverPolicy: StackValidationPolicy = {
  name: waiverPolicyId,
  displayName: "Waivers are valid and unexpired",
  description:
    "Every waiver in policies/waivers.yaml is well-formed, approved, within its maximum duration and not expired.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps:
    "Renew the waiver's approval with a new expiry date, fix the entry, or remove it and fix the violations " +
    "it covered.",
  validateStack: (_args, report) => {
    for (const { message } of waiverViolations(waivers)) report(message);
  },
};

const pack: Policies = [...policies.map(toCrossGuard), waiverPolicy];

new PolicyPack("muniops-bio", {
  policies: pack,
  enforcementLevel: "advisory",
  description: "Municipal ICT baseline mapped to the BIO",
  provider: "azure",
  tags: ["bio", "azure-native"],
});
