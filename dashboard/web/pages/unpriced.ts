// The warning every cost page shows when a month holds usage the rate card does not price: which usage,
// whose, and where to repair it. The amounts on the page leave that usage out, so it must be visible.
import type { ChargebackErrorJson } from "../../domain/chargeback.js";
import { html, type Html } from "../html.js";
import { formatNumber, t, type Lang } from "../i18n.js";

/** One unpriced line; on the overview it also names its month. */
type Unpriced = ChargebackErrorJson & { period?: string };

export function unpricedWarning(lang: Lang, period: string, errors: readonly Unpriced[]): Html | "" {
  if (errors.length === 0) return "";
  const line = (e: Unpriced): string => {
    const vars = {
      period: e.period ?? period,
      pool: t(lang, e.pool),
      quantity: formatNumber(lang, Number(e.quantity)),
      unit: e.unit,
      owner: e.owner,
      from: e.from,
      to: e.to,
      rate: e.rate,
      version: e.rateVersion ?? "",
    };
    return t(lang, e.rateVersion === null ? "unpricedNoVersion" : "unpricedLine", vars);
  };
  return html`<section class="notice error" role="alert" aria-labelledby="unpriced" data-testid="unpriced">
    <h2 id="unpriced">${t(lang, "unpricedTitle")}</h2>
    <p>${t(lang, "unpricedIntro")} <a href="/rates#new-rate">${t(lang, "rates")}</a></p>
    <ul>
      ${errors.map((e) => html`<li>${line(e)}</li>`)}
    </ul>
  </section>`;
}
