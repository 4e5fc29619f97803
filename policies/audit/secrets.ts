// Secret values in Pulumi documents. The CLI's JSON display prints a secret as the string "[secret]"
// (MassageSecrets, pkg/backend/display/json.go); `pulumi stack export` keeps it as a signature object,
// `{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "ciphertext": "…"}`, or with
// `--show-secrets` `"plaintext": "<the value as JSON>"` (SecretV1, sdk/go/common/apitype/core.go).
// A secret the document hides is no evidence either way: the audit treats it like a preview unknown (no
// verdict, reported as unknown with the reason "secret"). A plaintext secret is just its value.
import { secretDisplayValue, secretSignature, signatureKey } from "../../contracts/pulumiDocuments.js";

/** Stands in for a hidden secret in normalised properties; no real property value can equal it. */
export const hiddenSecret = "muniops:hidden-secret:2c9f6a4e-5b1d-4f7e-9a38-0d6c1e7b4f52";

/** Whether a document's text can contain a secret at all: most do not, and then nothing is walked. */
export function mayContainSecrets(text: string): boolean {
  return text.includes(secretDisplayValue) || text.includes(signatureKey);
}

/** The value with every hidden secret replaced by `hiddenSecret` and every plaintext secret by its value. */
export function normaliseSecrets(value: unknown): unknown {
  if (value === secretDisplayValue) return hiddenSecret;
  if (Array.isArray(value)) return value.map(normaliseSecrets);
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  if (record[signatureKey] === secretSignature) {
    if (typeof record.plaintext === "string") {
      try {
        return normaliseSecrets(JSON.parse(record.plaintext));
      } catch {
        return hiddenSecret;
      }
    }
    return hiddenSecret;
  }
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(record)) out[key] = normaliseSecrets(inner);
  return out;
}

export function normaliseProperties(
  value: Record<string, unknown> | null | undefined,
  walk: boolean,
): Record<string, unknown> {
  if (!value) return {};
  return walk ? (normaliseSecrets(value) as Record<string, unknown>) : value;
}
