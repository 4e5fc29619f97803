// The register pages: licences (positions, assignment edits), rates and shared costs (versions, a new
// version with its effective date; shared-cost items and their edit form), and the audit log.
import type { AuditEntry } from "../../domain/auditEntry.js";
import { costDrivers, type CostItem, type LicenceAssignment, type RateVersion } from "../../domain/records.js";
import { formatEuros, formatMicroEuros } from "../../domain/money.js";
import { rateKeys } from "../../domain/meters.js";
import { correctableRateVersion, rateCardProblems } from "../../domain/rateCard.js";
import type { LicenceView, OwnCostItem, OwnLicencePosition } from "../../app/dashboardService.js";
import type { contractRows } from "../../app/departmentViews.js";
import { licenceWhatIfRoles, managerRoles } from "../../auth/roles.js";
import { html, type Html } from "../html.js";
import { formatMoney, formatNumber, formatPercent, t, type Lang } from "../i18n.js";
import { csrfField, layout, scrollRegion, type PageContext } from "../layout.js";
import { localTime } from "../localTime.js";

const isManager = (ctx: PageContext): boolean =>
  ctx.principal !== undefined && managerRoles.includes(ctx.principal.role);

type ContractRow = ReturnType<typeof contractRows>[number];

/** A controller's products: their own seats and charge (the organisation's position is not theirs). */
function ownLicences(lang: Lang, positions: OwnLicencePosition[]): Html {
  const row = (p: OwnLicencePosition): Html =>
    html`<tr><th scope="row">${p.productName} <small>(${p.licenceType})</small></th>
    <td class="num">${formatNumber(lang, p.seats)}</td><td class="num">${formatMoney(lang, p.monthlyCost)}</td>
    <td>${p.perDepartment.map((d) => html`${d.department}: ${formatNumber(lang, d.seats)}<br>`)}</td></tr>`;
  const period = positions[0]?.period ?? "";
  return html`<table>
  <thead><tr><th scope="col">${t(lang, "product")}</th><th scope="col" class="num">${t(lang, "seats")}</th>
  <th scope="col" class="num">${t(lang, "ownCharge", { p: period })}</th>
  <th scope="col">${t(lang, "departments")}</th></tr></thead>
  <tbody>${positions.map(row)}</tbody>
</table>`;
}

/** `contracts`: the organisation's licence purchases, for roles that see them (not controllers). */
export function licencesPage(
  ctx: PageContext,
  day: string,
  licences: LicenceView,
  assignments: LicenceAssignment[],
  notice?: string,
  contracts?: ContractRow[],
): string {
  const { lang } = ctx;
  const positions = licences.scope === "all" ? licences.positions : [];
  const body = html`
${notice ? html`<p class="notice" role="status">${notice}</p>` : ""}
<p>${day}</p>
${
  ctx.principal && licenceWhatIfRoles.includes(ctx.principal.role)
    ? html`<p><a href="/licences/what-if">${t(lang, "whatIfTitle")}</a></p>`
    : ""
}
${
  licences.scope === "departments"
    ? ownLicences(lang, licences.positions)
    : html`<table>
${[
  html`  <thead><tr><th scope="col">${t(lang, "product")}</th><th scope="col" class="num">`,
  html`${t(lang, "purchased")}</th><th scope="col" class="num">${t(lang, "assigned")}</th>`,
  html`<th scope="col" class="num">${t(lang, "free")}</th><th scope="col" class="num">`,
  html`${t(lang, "monthlyCost")}</th><th scope="col">${t(lang, "departments")}</th></tr></thead>`,
]}
  <tbody>${positions.map(
    (p) =>
      html`${[
        html`<tr><th scope="row">${p.productName} <small>(${p.licenceType})</small></th><td class="num">`,
        html`${formatNumber(lang, p.purchased)}</td><td class="num">${formatNumber(lang, p.assigned)}</td>`,
        html`<td class="num">${formatNumber(lang, p.free)}`,
        html`${
          p.overAssigned > 0
            ? html`<br><strong>${formatNumber(lang, p.overAssigned)} ${t(lang, "overAssigned")}</strong>`
            : ""
        }`,
        html`</td><td class="num">${formatMoney(lang, p.monthlyCost)}</td><td>`,
        html`${p.perDepartment.map((d) => html`${d.department}: ${formatNumber(lang, d.seats)}<br>`)}</td></tr>`,
      ]}`,
  )}</tbody>
</table>`
}
${contracts ? contractsSection(lang, contracts) : ""}
<h2>${t(lang, "assigned")}</h2>
<table>
${[
  html`  <thead><tr><th scope="col">${t(lang, "assignmentId")}</th><th scope="col">${t(lang, "product")}</th>`,
  html`<th scope="col">${t(lang, "department")}</th><th scope="col" class="num">${t(lang, "seats")}</th>`,
  html`<th scope="col">${t(lang, "validFrom")}</th><th scope="col">${t(lang, "validTo")}</th></tr></thead>`,
]}
  <tbody>${assignments.map(
    (a) =>
      html`${[
        html`<tr><th scope="row">${a.id}</th><td>${a.productId}</td><td>${a.department}</td><td class="num">`,
        html`${formatNumber(lang, a.seats)}</td><td>${a.validFrom}</td><td>${a.validTo ?? "—"}</td></tr>`,
      ]}`,
  )}</tbody>
</table>
${isManager(ctx) ? assignmentForm(ctx, positions) : ""}`;
  return layout(ctx, t(lang, "licences"), body, { current: "/licences" });
}

/** The licence contracts, with their CSV export. */
function contractsSection(lang: Lang, contracts: ContractRow[]): Html {
  return html`<h2 id="contracts">${t(lang, "contracts")}</h2>
<p><a href="/api/v1/licences/contracts?format=csv">${t(lang, "exportCsv")}</a></p>
<table aria-labelledby="contracts">
${[
  html`  <thead><tr><th scope="col">${t(lang, "contract")}</th><th scope="col">${t(lang, "product")}</th>`,
  html`<th scope="col" class="num">${t(lang, "purchased")}</th><th scope="col" class="num">`,
  html`${t(lang, "unitPrice")}</th><th scope="col">${t(lang, "validFrom")}</th><th scope="col">`,
  html`${t(lang, "validTo")}</th><th scope="col">${t(lang, "supplier")}</th><th scope="col">`,
  html`${t(lang, "purchaseOrder")}</th></tr></thead>`,
]}
  <tbody>${contracts.map(
    (c) =>
      html`${[
        html`<tr><th scope="row">${c.id}</th><td>${c.productId}</td><td class="num">${formatNumber(lang, c.quantity)}`,
        html`</td><td class="num">${formatMoney(lang, c.unitPrice)}</td><td>${c.startDate}</td><td>`,
        html`${c.endDate ?? "—"}</td><td>${c.supplier}</td><td>${c.purchaseOrder}</td></tr>`,
      ]}`,
  )}</tbody>
</table>`;
}

/** The form that creates or changes a seat assignment, offering the products in `positions`. */
function assignmentForm(ctx: PageContext, positions: readonly { productId: string; productName: string }[]): Html {
  const { lang } = ctx;
  return html`<h2 id="edit">${t(lang, "editAssignment")}</h2>
<form class="stack" method="post" action="/licences/assignments" aria-labelledby="edit">
  ${csrfField(ctx)}
  <div><label for="as-id">${t(lang, "assignmentId")}</label><input id="as-id" name="id" required></div>
${[
  html`  <div><label for="as-product">${t(lang, "product")}</label><select id="as-product" name="productId">`,
  html`${positions.map((p) => html`<option value="${p.productId}">${p.productName}</option>`)}</select></div>`,
]}
${[
  html`  <div><label for="as-department">${t(lang, "department")}</label>`,
  html`<input id="as-department" name="department" required></div>`,
]}
${[
  html`  <div><label for="as-seats">${t(lang, "seats")}</label>`,
  html`<input id="as-seats" name="seats" type="number" min="0" required></div>`,
]}
${[
  html`  <div><label for="as-from">${t(lang, "validFrom")}</label>`,
  html`<input id="as-from" name="validFrom" type="date" required></div>`,
]}
  <div><label for="as-to">${t(lang, "validTo")}</label><input id="as-to" name="validTo" type="date"></div>
  <div><button type="submit">${t(lang, "save")}</button></div>
</form>`;
}

/** Basis points as the form's percent, in integers: 6000 → "60", 3350 → "33.5", 3333 → "33.33". */
const percentText = (bp: number): string =>
  `${Math.trunc(bp / 100)}.${String(bp % 100).padStart(2, "0")}`.replace(/\.?0+$/, "");
const splitText = (percentages: Record<string, number> | null): string =>
  Object.entries(percentages ?? {})
    .map(([department, bp]) => `${department}=${percentText(bp)}`)
    .join(", ");

/** The form that creates a shared-cost item, or changes `editing` (same id: the ledger upserts by id). */
function costItemForm(ctx: PageContext, editing: CostItem | undefined) {
  const { lang } = ctx;
  return html`<h2 id="cost-item">${t(lang, "costItem")}</h2>
${editing ? html`<p><a href="/rates#cost-item">${t(lang, "newCostItem")}</a></p>` : ""}
<form class="stack" method="post" action="/cost-items" aria-labelledby="cost-item">
  ${csrfField(ctx)}
${[
  html`  <div><label for="ci-id">${t(lang, "costItemId")}</label>`,
  html`<input id="ci-id" name="id" required maxlength="63" value="${editing?.id ?? ""}"></div>`,
]}
${[
  html`  <div><label for="ci-name">${t(lang, "name")}</label>`,
  html`<input id="ci-name" name="name" required maxlength="100" value="${editing?.name ?? ""}"></div>`,
]}
${[
  html`  <div><label for="ci-monthly">${t(lang, "monthlyAmount")}</label>`,
  html`<input id="ci-monthly" name="monthly" inputmode="decimal" required value="`,
  html`${editing ? formatEuros(editing.monthlyCents) : ""}"></div>`,
]}
${[
  html`  <div><label for="ci-driver">${t(lang, "driver")}</label><select id="ci-driver" name="driver">`,
  html`${costDrivers.map(
    (d) => html`<option value="${d}"${editing?.driver === d ? html` selected` : ""}>${t(lang, `driver_${d}`)}</option>`,
  )}`,
  html`</select></div>`,
]}
${[
  html`  <div><label for="ci-percentages">${t(lang, "percentages")}</label>`,
  html`<input id="ci-percentages" name="percentages" aria-describedby="ci-percentages-hint" value="`,
  html`${splitText(editing?.percentages ?? null)}"><small id="ci-percentages-hint">`,
  html`${t(lang, "percentagesHint")}</small></div>`,
]}
${[
  html`  <div><label for="ci-from">${t(lang, "validFrom")}</label>`,
  html`<input id="ci-from" name="validFrom" type="date" required value="${editing?.validFrom ?? ""}"></div>`,
]}
${[
  html`  <div><label for="ci-to">${t(lang, "validTo")}</label>`,
  html`<input id="ci-to" name="validTo" type="date" value="${editing?.validTo ?? ""}"></div>`,
]}
  <div><button type="submit">${t(lang, "save")}</button></div>
</form>`;
}

/** What the rates page shows besides the register: which version the form corrects, a refused form post. */
export interface RatesView {
  notice?: string | undefined;
  /** The shared-cost item whose values pre-fill its form (`?edit=<id>`). */
  editing?: CostItem | undefined;
  /** The rate-card version the form corrects (`?rate=<validFrom>`): one not in effect yet, or incomplete. */
  correcting?: RateVersion | undefined;
  /** For a controller: their own share of each shared-cost item, shown instead of the items' totals. */
  ownCostItems?: OwnCostItem[] | undefined;
  /** A refused rate-card post: what was entered, and the problem per field (`validFrom`, `prices.<key>`). */
  refused?: { values: Record<string, string>; errors: Record<string, string[]> } | undefined;
}

export function ratesPage(
  ctx: PageContext,
  versions: RateVersion[],
  items: CostItem[],
  today: string,
  view: RatesView = {},
): string {
  const { lang } = ctx;
  // every meter the chargeback prices, and any stray key an old version holds, so a gap is visible
  const meters = [...new Set([...rateKeys, ...versions.flatMap((v) => Object.keys(v.prices))])];
  const manager = isManager(ctx);
  const locale = lang === "nl" ? "nl-NL" : "en-IE";
  const euro = (micro: bigint): string => (Number(micro) / 1e6).toLocaleString(locale, { maximumFractionDigits: 6 });
  const price = (micro: bigint | undefined): Html | string =>
    micro === undefined ? html`<span class="error">—</span>` : `€ ${euro(micro)}`;
  const incomplete = (v: RateVersion): Html | string =>
    rateCardProblems(v.prices).length > 0 ? html` <span class="error">(${t(lang, "rateIncomplete")})</span>` : "";
  const correctLink = (v: RateVersion): Html | string =>
    manager && correctableRateVersion(v, today)
      ? html` <a href="/rates?rate=${v.validFrom}#new-rate">${t(lang, "edit")}<span class="visually-hidden">
          ${v.validFrom}</span></a>`
      : "";
  const prices = (v: RateVersion): Html[] => meters.map((k) => html`<td class="num">${price(v.prices[k])}</td>`);
  const body = html`
${view.notice ? html`<p class="notice" role="status">${view.notice}</p>` : ""}
<table>
${[
  html`  <thead><tr><th scope="col">${t(lang, "validFrom")}</th>`,
  html`${meters.map((k) => html`<th scope="col" class="num">${k}</th>`)}<th scope="col">${t(lang, "note")}</th>`,
  html`</tr></thead>`,
]}
  <tbody>${versions.map(
    (v) =>
      html`<tr><th scope="row">${v.validFrom}${incomplete(v)}${correctLink(v)}</th>${prices(v)}
      <td>${v.note ?? ""}</td></tr>`,
  )}</tbody>
</table>
${manager ? rateForm(ctx, versions, view) : ""}
<h2>${t(lang, "costItems")}</h2>
${
  view.ownCostItems
    ? ownCostItemsTable(lang, view.ownCostItems)
    : html`<table>
${[
  html`  <thead><tr><th scope="col">${t(lang, "item")}</th><th scope="col" class="num">`,
  html`${t(lang, "monthlyCost")}</th><th scope="col">${t(lang, "driver")}</th><th scope="col">`,
  html`${t(lang, "validFrom")}</th><th scope="col">${t(lang, "validTo")}</th>`,
  html`${manager ? html`<th scope="col"><span class="visually-hidden">${t(lang, "edit")}</span></th>` : ""}`,
  html`</tr></thead>`,
]}
  <tbody>${items.map(
    (i) =>
      html`<tr><th scope="row">${i.name}</th><td class="num">${formatMoney(
        lang,
        `${i.monthlyCents / 100n}.${(i.monthlyCents % 100n).toString().padStart(2, "0")}`,
      )}</td><td>${t(lang, `driver_${i.driver}`)}${
        i.percentages
          ? ` (${Object.entries(i.percentages)
              .map(([d, bp]) => `${d} ${formatPercent(lang, String(bp / 100))}`)
              .join(", ")})`
          : ""
      }</td><td>${i.validFrom}</td><td>${i.validTo ?? "—"}</td>${
        manager
          ? html`${[
              html`<td><a href="/rates?edit=${encodeURIComponent(i.id)}#cost-item">${t(lang, "edit")}`,
              html`<span class="visually-hidden"> ${i.name}</span></a></td>`,
            ]}`
          : ""
      }</tr>`,
  )}</tbody>
</table>`
}
${manager ? costItemForm(ctx, view.editing) : ""}`;
  return layout(ctx, t(lang, "rates"), body, { current: "/rates" });
}

/** A controller's shared costs: their departments' split and charge per item, never the item's total. */
function ownCostItemsTable(lang: Lang, items: OwnCostItem[]): Html {
  const percent = ([d, bp]: [string, number]): string => `${d} ${formatPercent(lang, String(bp / 100))}`;
  const split = (i: OwnCostItem): string =>
    i.percentages ? ` (${Object.entries(i.percentages).map(percent).join(", ")})` : "";
  const row = (i: OwnCostItem): Html =>
    html`<tr><th scope="row">${i.name}</th><td class="num">${formatMoney(lang, i.charged)}</td>
    <td>${t(lang, `driver_${i.driver}`)}${split(i)}</td><td>${i.validFrom}</td><td>${i.validTo ?? "—"}</td></tr>`;
  const charge = t(lang, "ownCharge", { p: items[0]?.period ?? "" });
  return html`<table>
  <thead><tr><th scope="col">${t(lang, "item")}</th><th scope="col" class="num">${charge}</th>
  <th scope="col">${t(lang, "driver")}</th><th scope="col">${t(lang, "validFrom")}</th>
  <th scope="col">${t(lang, "validTo")}</th></tr></thead>
  <tbody>${items.map(row)}</tbody>
</table>`;
}

/**
 * A new rate-card version, or the correction of `view.correcting`: one input per meter, pre-filled with
 * the version corrected or else the latest one, so leaving the form as it is prices every meter.
 */
function rateForm(ctx: PageContext, versions: RateVersion[], view: RatesView): Html {
  const { lang } = ctx;
  const base = view.correcting ?? versions.at(-1);
  const entered = view.refused?.values;
  const errors = view.refused?.errors ?? {};
  const validFrom = entered?.validFrom ?? view.correcting?.validFrom ?? "";
  const priceValue = (meter: string): string => {
    const micro = base?.prices[meter];
    return entered ? (entered[`price.${meter}`] ?? "") : micro === undefined ? "" : formatMicroEuros(micro);
  };
  const problem = (field: string, id: string): Html | string => {
    const messages = errors[field];
    return messages ? html`<small class="error" id="${id}-error">${messages.join(" ")}</small>` : "";
  };
  const invalid = (field: string, id: string): Html | string =>
    errors[field] ? html` aria-invalid="true" aria-describedby="${id}-error"` : "";
  const correcting = view.correcting?.validFrom;
  const title = correcting ? `${t(lang, "correctRateVersion")} ${correcting}` : t(lang, "newRateVersion");
  const priceInput = (k: string, i: number): Html => {
    const id = `rate-${i}`;
    const field = `prices.${k}`;
    return html`<div><label for="${id}">${k} (EUR)</label>
    <input id="${id}" name="price.${k}" inputmode="decimal" required value="${priceValue(k)}"${invalid(field, id)}>
    ${problem(field, id)}</div>`;
  };
  const note = entered?.note ?? view.correcting?.note ?? "";
  return html`<h2 id="new-rate">${title}</h2>
${view.refused ? html`<p class="notice error" role="alert">${t(lang, "formErrors")}</p>` : ""}
<p><small>${t(lang, "rateCorrectHint")}</small></p>
<form class="stack" method="post" action="/rates" aria-labelledby="new-rate">
  ${csrfField(ctx)}
  <div><label for="rate-from">${t(lang, "validFrom")}</label><input id="rate-from" name="validFrom" type="date" required
    value="${validFrom}"${invalid("validFrom", "rate-from")}>${problem("validFrom", "rate-from")}</div>
  ${rateKeys.map(priceInput)}
  <div><label for="rate-note">${t(lang, "note")}</label>
    <input id="rate-note" name="note" maxlength="200" value="${note}"></div>
  <div><button type="submit">${t(lang, "save")}</button></div>
</form>`;
}

export function auditLogPage(
  ctx: PageContext,
  entries: AuditEntry[],
  view: { entity?: string | undefined; pageSize: number } = { pageSize: 500 },
): string {
  const { lang } = ctx;
  const last = entries.at(-1);
  const older =
    entries.length === view.pageSize && last
      ? `/audit-log?${view.entity ? `entity=${encodeURIComponent(view.entity)}&` : ""}before=${last.id}`
      : undefined;
  const short = (v: unknown): string => (v === null || v === undefined ? "" : JSON.stringify(v).slice(0, 300));
  const body = html`
<form class="inline" method="get" action="/audit-log">
${[
  html`  <div><label for="entity">${t(lang, "entity")}</label><input id="entity" name="entity" value="`,
  html`${view.entity ?? ""}" pattern="[a-z_]*" maxlength="50" placeholder="rate_version"></div>`,
]}
  <button type="submit">${t(lang, "filter")}</button>
</form>
${[
  html`<p><a href="/api/v1/audit-log?format=csv&amp;limit=10000`,
  html`${view.entity ? `&entity=${encodeURIComponent(view.entity)}` : ""}">${t(lang, "exportCsv")}</a></p>`,
]}
${scrollRegion(
  { text: t(lang, "auditLog") },
  html`<table>
${[
  html`  <thead><tr><th scope="col">${t(lang, "at")}</th><th scope="col">${t(lang, "actor")}</th>`,
  html`<th scope="col">${t(lang, "action")}</th><th scope="col">${t(lang, "entity")}</th><th scope="col">`,
  html`${t(lang, "before")}</th><th scope="col">${t(lang, "after")}</th></tr></thead>`,
]}
  <tbody>${entries.map(
    (e) =>
      html`${[
        html`<tr><td class="nowrap">${localTime(lang, e.at)}</td><td>${e.actor}</td><td>${e.action}</td><td>`,
        html`${e.entity} ${e.entityId}</td><td class="json"><code>${short(e.before)}</code></td><td class="json">`,
        html`<code>${short(e.after)}</code></td></tr>`,
      ]}`,
  )}</tbody>
</table>`,
)}
${older ? html`<p><a href="${older}">${t(lang, "olderEntries")}</a></p>` : ""}`;
  return layout(ctx, t(lang, "auditLog"), body, { current: "/audit-log" });
}
