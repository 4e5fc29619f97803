// The demo's waivers file: the repository's own policies/waivers.yaml holds no waivers (they are real
// risk acceptances, reviewed by the CISO's office), so the demo writes one of its own beside its ledger.
// Its dates follow today's date, so the waiver is always valid and always "expiring soon": the
// compliance page's waiver list and its expiry warning are visible from the first view.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";

const dayMs = 86_400_000;
const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** Writes `waivers.yaml` for the demo stack into `dataDir` and returns its path. */
export function writeDemoWaivers(dataDir: string, stack: string, nowMs: number): string {
  const file = join(dataDir, "waivers.yaml");
  const waiver = {
    id: "WVR-DEMO-001",
    policies: ["storage-account-require-customer-managed-key"],
    bioControls: ["U.05.2"],
    scope: {
      urns: [
        `urn:pulumi:${stack}::muniops::muniops:monitoring:Monitoring$azure-native:storage:StorageAccount::` +
          `monitoring-flow-logs`,
      ],
    },
    category: "Mitigated",
    justification:
      "Flow logs hold network metadata only; a customer-managed key is planned with the Key Vault HSM migration.",
    compensatingControls: "Infrastructure encryption on, shared keys off, access through the private endpoint only.",
    riskOwner: "CISO (demo)",
    riskAnalysis: "RA-DEMO-1 (simulated risk analysis)",
    approvedBy: "CISO (demo)",
    approvedOn: isoDate(nowMs - 340 * dayMs),
    ticket: "DEMO-1",
    expiresOn: isoDate(nowMs + 20 * dayMs),
  };
  writeFileSync(
    file,
    "# Written by muniops demo: a simulated waiver, for the demo's compliance page only.\n" +
      stringify({ schemaVersion: 1, waivers: [waiver] }),
  );
  return file;
}
