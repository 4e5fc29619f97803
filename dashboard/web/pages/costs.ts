// The costs page: a month's cloud bill beside its chargeback (app/costViews.ts), per department with the
// recovery ratio, then for the organisation-wide roles the unallocated cost, the tag-compliant share, the
// cost types, the services, the invoices and the latest rate proposal. Amounts are the API's euro strings.
import type { CostView } from "../../app/costViews.js";
import type { SavedRateProposal } from "../../app/rateProposals.js";
import type { ReconciliationJson } from "../../domain/billReconciliation.js";
import { html, type Html } from "../html.js";
import { formatMoney, formatPercent, t, type Lang } from "../i18n.js";
import { layout, scrollRegion, type PageContext } from "../layout.js";

/** A ratio string ("0.9731") as a percentage with one decimal, exactly (no float on the amount itself). */
function ratio(lang: Lang, value: string | null): string {
  if (value === null) return "—";
  const basisPoints = BigInt(value.replace(".", ""));
  const tenths = (basisPoints + (basisPoints < 0n ? -5n : 5n)) / 10n;
  const abs = tenths < 0n ? -tenths : tenths;
  return formatPercent(lang, `${tenths < 0n ? "-" : ""}${abs / 10n}.${abs % 10n}`);
}

function departmentTable(lang: Lang, doc: CostView["reconciliation"]): Html {
  const rows = doc.departments.map(
    (d) =>
      html`${[
        html`<tr><th scope="row">${d.id}${d.known ? "" : html` <em>(${t(lang, "costsUnknownDepartment")})</em>`}`,
        html`</th><td class="num">${formatMoney(lang, d.effectiveCost)}</td><td class="num">`,
        html`${formatMoney(lang, d.charged)}</td><td class="num">${formatMoney(lang, d.difference)}</td>`,
        html`<td class="num">${ratio(lang, d.recovery)}</td></tr>`,
      ]}`,
  );
  const totals =
    doc.scope === "organisation"
      ? html`${[
          html`<tr><th scope="row">${t(lang, "costsUnallocated")}</th><td class="num">`,
          html`${formatMoney(lang, doc.unallocated)}</td><td></td><td></td><td></td></tr><tr class="total">`,
          html`<th scope="row">${t(lang, "costsTotal")}</th><td class="num">${formatMoney(lang, doc.total)}</td>`,
          html`<td></td><td></td><td></td></tr>`,
        ]}`
      : "";
  return html`${[
    html`<table><thead><tr><th scope="col">${t(lang, "department")}</th><th scope="col" class="num">`,
    html`${t(lang, "costsActual")}</th><th scope="col" class="num">${t(lang, "costsCharged")}</th>`,
    html`<th scope="col" class="num">${t(lang, "costsDifference")}</th><th scope="col" class="num">`,
    html`${t(lang, "costsRecovery")}</th></tr></thead><tbody>${rows}${totals}</tbody></table>`,
  ]}`;
}

function organisationSections(lang: Lang, doc: ReconciliationJson): Html {
  const types = doc.costTypes.map(
    (c) =>
      html`${[
        html`<tr><th scope="row">${c.costType}</th><td class="num">${formatMoney(lang, c.effectiveCost)}</td>`,
        html`<td class="num">${formatMoney(lang, c.charged)}</td><td class="num">`,
        html`${formatMoney(lang, c.difference)}</td><td class="num">${ratio(lang, c.recovery)}</td></tr>`,
      ]}`,
  );
  const services = doc.services.map(
    (s) =>
      html`${[
        html`<tr><th scope="row">${s.service}</th><td>${s.category}</td><td class="num">`,
        html`${formatMoney(lang, s.effectiveCost)}</td></tr>`,
      ]}`,
  );
  const invoices = doc.invoices.map(
    (i) => html`<tr><th scope="row">${i.id}</th><td class="num">${formatMoney(lang, i.billedCost)}</td></tr>`,
  );
  return html`<p>${t(lang, "costsTagCompliance", { s: ratio(lang, doc.tagCompliance) })}</p>
<section aria-labelledby="costs-types"><h2 id="costs-types">${t(lang, "costsByType")}</h2>
${[
  html`<table><thead><tr><th scope="col">${t(lang, "costsByType")}</th><th scope="col" class="num">`,
  html`${t(lang, "costsActual")}</th><th scope="col" class="num">${t(lang, "costsCharged")}</th>`,
  html`<th scope="col" class="num">${t(lang, "costsDifference")}</th><th scope="col" class="num">`,
  html`${t(lang, "costsRecovery")}</th></tr></thead><tbody>${types}</tbody></table></section>`,
]}
<section aria-labelledby="costs-services"><h2 id="costs-services">${t(lang, "costsServices")}</h2>
${scrollRegion(
  { labelledBy: "costs-services" },
  html`${[
    html`<table><thead><tr><th scope="col">${t(lang, "costsService")}</th><th scope="col">ServiceCategory</th>`,
    html`<th scope="col" class="num">${t(lang, "costsActual")}</th></tr></thead><tbody>${services}</tbody></table>`,
  ]}`,
)}</section>
<section aria-labelledby="costs-invoices"><h2 id="costs-invoices">${t(lang, "costsInvoices", { p: doc.period })}</h2>
${[
  html`<table><thead><tr><th scope="col">${t(lang, "costsInvoice")}</th><th scope="col" class="num">BilledCost`,
  html`</th></tr></thead><tbody>${invoices}</tbody></table></section>`,
]}`;
}

function proposalSection(lang: Lang, p: SavedRateProposal): Html {
  const rows = p.meters.map(
    (m) =>
      html`${[
        html`<tr><th scope="row">${m.rate}</th><td class="num">${m.current ?? "—"}</td><td class="num">`,
        html`${m.proposed ?? "—"}</td><td class="num">${ratio(lang, m.recovery)}</td></tr>`,
      ]}`,
  );
  const from = p.months[0] ?? "";
  const to = p.months[p.months.length - 1] ?? "";
  const status =
    p.adoptedFrom === null
      ? t(lang, "costsProposalDraft", { id: p.id })
      : t(lang, "costsProposalAdopted", { d: p.adoptedFrom });
  return html`${[
    html`<section aria-labelledby="costs-proposal"><h2 id="costs-proposal">`,
    html`${t(lang, "costsProposal", { m: p.marginPercent, from, to })}</h2>`,
  ]}
${[
  html`<table><thead><tr><th scope="col">${t(lang, "costsProposalRate")}</th><th scope="col" class="num">`,
  html`${t(lang, "costsProposalCurrent")}</th><th scope="col" class="num">${t(lang, "costsProposalProposed")}`,
  html`</th><th scope="col" class="num">${t(lang, "costsRecovery")}</th></tr></thead><tbody>${rows}</tbody>`,
  html`</table>`,
]}
<p>${status}</p></section>`;
}

export function costsPage(ctx: PageContext, v: CostView): string {
  const { lang } = ctx;
  const doc = v.reconciliation;
  const title = t(lang, "costsTitle", { p: v.period });
  const months = v.months.includes(v.period) ? v.months : [v.period, ...v.months];
  const picker = html`${[
    html`<form class="inline" method="get" action="/costs"><div><label for="f-period">${t(lang, "costsMonth")}`,
    html`</label><select id="f-period" name="period">`,
    html`${months.map((m) => html`<option value="${m}"${m === v.period ? html` selected` : ""}>${m}</option>`)}`,
    html`</select></div><button type="submit">${t(lang, "costsShow")}</button></form>`,
  ]}`;
  const empty = doc.scope === "organisation" ? doc.rows === 0 : !v.months.includes(v.period);
  const body = html`<p>${t(lang, "costsIntro")}</p>${picker}
${empty ? html`<p>${t(lang, "costsNoBill", { p: v.period })}</p>` : ""}
<section aria-labelledby="costs-departments"><h2 id="costs-departments">${t(lang, "departments")}</h2>
${scrollRegion({ labelledBy: "costs-departments" }, departmentTable(lang, doc))}
<p><a href="/api/v1/costs/reconciliation?period=${v.period}&format=csv">${t(lang, "exportCsv")}</a></p></section>
${doc.scope === "organisation" ? organisationSections(lang, doc) : ""}
${v.proposal ? proposalSection(lang, v.proposal) : ""}`;
  return layout(ctx, title, body, { current: "/costs" });
}
