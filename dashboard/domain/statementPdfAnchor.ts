// The ledger chain position a closed month's statement PDF carries (in its document information, where
// `muniops ledger verify --statement-pdf` reads it back, and printed for a human reader). A PDF handed to a
// department lives outside the ledger, so a chain cut short or rehashed after it was printed shows against it.
import type { ChainAnchor } from "./records.js";

/** The document-information key pdfkit writes as a plain string object, readable without a PDF parser. */
export const pdfAnchorKey = "MuniopsChain";

export function pdfAnchorText(anchor: ChainAnchor): string {
  return `muniops-chain:seq=${anchor.seq};sha256=${anchor.hash}`;
}

/** The anchor in a statement PDF's bytes, or undefined when it has none (an open month's statement). */
export function anchorInPdf(bytes: Buffer): ChainAnchor | undefined {
  const match = /muniops-chain:seq=(\d+);sha256=([0-9a-f]{64})/.exec(bytes.toString("latin1"));
  return match ? { seq: Number(match[1]), hash: match[2] ?? "" } : undefined;
}
