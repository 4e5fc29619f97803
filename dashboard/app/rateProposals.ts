// The rate proposal: from the last twelve months with an imported bill, the cost-plus rate per meter
// (domain/rateProposal.ts), saved as a draft that a service manager adopts as a rate-card version from
// a future date. Adopting goes through the same master-data change as any new rate-card version.
import { randomUUID } from "node:crypto";
import { UsageError } from "../../errors.js";
import {
  billGroups,
  billingPeriods,
  latestRateProposal,
  markProposalAdopted,
  rateProposal,
  saveRateProposal,
  type StoredRateProposal,
} from "../data-access/billStore.js";
import type { Ledger } from "../data-access/database.js";
import { applyMasterDataChanges, loadPricingData, type ChangeSummary } from "../data-access/masterData.js";
import { writeAudit } from "../data-access/auditLog.js";
import { costTypeOf } from "../domain/focus.js";
import { parseDecimal, parseMicroEuros } from "../domain/money.js";
import { proposeRates, type ProposalMonth, type RateProposal } from "../domain/rateProposal.js";
import { rateCardProblems } from "../domain/rateCard.js";
import { rateVersionOn } from "../domain/chargebackEngine.js";
import { chargeback } from "./chargeback.js";

export interface SavedRateProposal extends RateProposal {
  id: string;
  createdAt: string;
  createdBy: string;
  adoptedFrom: string | null;
}

/** Compute and save a draft from the last `months` billed months; `margin` in percent ("5" or "2.5"). */
export async function proposeRateCard(
  ledger: Ledger,
  options: { margin: string; actor: string; months?: number; now?: Date },
): Promise<SavedRateProposal> {
  const marginBasisPoints = parseDecimal(options.margin, 2, "margin");
  const periods = (await billingPeriods(ledger.db)).slice(-(options.months ?? 12));
  if (periods.length === 0)
    throw new UsageError("no bill imported yet: import a FOCUS export first (muniops costs import)");
  const pricing = await loadPricingData(ledger.db);
  const evidence: ProposalMonth[] = [];
  for (const period of periods) {
    const [groups, doc] = await Promise.all([
      billGroups(ledger.db, { chargePeriod: period }),
      chargeback(ledger, period, pricing),
    ]);
    const actual = { compute: 0n, storage: 0n };
    for (const g of groups) {
      const type = costTypeOf(g.serviceCategory);
      if (type !== "shared") actual[type] += g.effectiveCost;
    }
    evidence.push({ period, actual, lines: doc.lines });
  }
  const now = options.now ?? new Date();
  const version = rateVersionOn(pricing.rateVersions, now.toISOString().slice(0, 10));
  const proposal = proposeRates(evidence, version?.prices ?? {}, marginBasisPoints);
  const saved: StoredRateProposal = {
    id: randomUUID(),
    createdAt: now.toISOString(),
    createdBy: options.actor,
    proposal,
    adoptedFrom: null,
  };
  await saveRateProposal(ledger.db, saved);
  return toSaved(saved);
}

export async function currentRateProposal(ledger: Ledger): Promise<SavedRateProposal | undefined> {
  const stored = await latestRateProposal(ledger.db);
  return stored && toSaved(stored);
}

function toSaved(stored: StoredRateProposal): SavedRateProposal {
  const { id, createdAt, createdBy, adoptedFrom } = stored;
  return { ...(stored.proposal as RateProposal), id, createdAt, createdBy, adoptedFrom };
}

/** Adopt a draft as the rate-card version valid from `validFrom`, a date after `today`. */
export async function adoptRateProposal(
  ledger: Ledger,
  id: string,
  validFrom: string,
  options: { actor: string; today: string },
): Promise<ChangeSummary[]> {
  const stored = await rateProposal(ledger.db, id);
  if (!stored) throw new UsageError(`no rate proposal "${id}"`);
  if (stored.adoptedFrom !== null) throw new UsageError(`rate proposal ${id} was adopted from ${stored.adoptedFrom}`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(validFrom) || Number.isNaN(Date.parse(`${validFrom}T00:00:00Z`)))
    throw new UsageError(`the adoption date must be a date as YYYY-MM-DD, got "${validFrom}"`);
  if (validFrom <= options.today)
    throw new UsageError(`a proposal is adopted for a future date: ${validFrom} is not after ${options.today}`);
  const { prices } = stored.proposal as RateProposal;
  const problems = rateCardProblems(prices);
  if (problems.length > 0) throw new UsageError(`the proposal cannot be a rate card: ${problems[0]?.message ?? ""}`);
  const micro = Object.fromEntries(Object.entries(prices).map(([k, v]) => [k, parseMicroEuros(v, k)]));
  return ledger.db.transaction().execute(async (trx) => {
    const changes = await applyMasterDataChanges(
      trx,
      { rateVersions: [{ validFrom, note: `cost-plus proposal ${id}`, prices: micro }] },
      {},
      options.actor,
    );
    await markProposalAdopted(trx, id, validFrom);
    await writeAudit(trx, {
      actor: options.actor,
      action: "adopt",
      entity: "rate-proposal",
      entityId: id,
      after: { validFrom },
    });
    return changes;
  });
}
