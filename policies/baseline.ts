// The baselines a coverage matrix can be keyed by: BIO2 measures (the primary baseline) or the
// BIO 1.04-era Cloud-theme controls (U.05.1, …) that Azure's "NL BIO Cloud Theme" initiative still uses.
import { bio2Catalog } from "./bio2Catalog.js";
import { bioFramework } from "./bioControls.js";

export const baselines = ["bio2", "cloud-theme"] as const;
export type Baseline = (typeof baselines)[number];

export interface BaselineInfo {
  id: Baseline;
  /** What reports call it: "BIO2 1.3", "BIO Cloud theme (BIO 1.04)". */
  title: string;
  /** What one row of its matrix is. */
  rowNoun: string;
  version: string;
}

export function baselineInfo(baseline: Baseline): BaselineInfo {
  if (baseline === "bio2") {
    const version = bio2Catalog().version;
    return { id: baseline, title: `BIO2 ${version}`, rowNoun: "BIO2 measure", version };
  }
  const version = bioFramework.version;
  return { id: baseline, title: `BIO Cloud theme (BIO ${version})`, rowNoun: "BIO control", version };
}
