// Identifiers in OSCAL documents: token ids must be XML NCNames (no leading digit, so BIO2's `8.08.01`
// becomes `bio2-8.08.01`), and UUIDs must have the version-4 shape the OSCAL 1.0 schemas check.
import { createHash } from "node:crypto";
import type { Baseline } from "../baseline.js";

/** The OSCAL version whose JSON schemas (NIST, 1.0.0 release line) the exports are checked against. */
export const oscalVersion = "1.0.0";

/** Namespace of muniops' own OSCAL properties (a URN: valid as the `ns` URI, owned by nobody else). */
export const muniopsNs = "urn:muniops:oscal";

/** The control id of a baseline entry: `bio2-8.08.01` for BIO2, the Cloud-theme id (`U.05.1`) as it is. */
export function oscalControlId(baseline: Baseline, id: string): string {
  return baseline === "bio2" ? `bio2-${id}` : id;
}

/**
 * A UUID of version-4 shape derived from the given parts, so the same input always yields the same UUID:
 * OSCAL asks that a UUID stay the same for the same thing across revisions of a document.
 */
export function stableUuid(...parts: readonly string[]): string {
  const hex = createHash("sha256").update(parts.join("\u0000")).digest("hex");
  const variant = ((parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  const [a, b, c, d, e] = [hex.slice(0, 8), hex.slice(8, 12), hex.slice(13, 16), hex.slice(17, 20), hex.slice(20, 32)];
  return `${a}-${b}-4${c}-${variant}${d}-${e}`;
}
