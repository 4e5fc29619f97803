// "What would a licence change cost?": a form (department, product, seats +N or -N, months, first month)
// and, once asked, the months with and without the change (app/licenceWhatIf.ts, the same document as
// GET /api/v1/licences/what-if). A department controller sees only their own charge.
import type { LicenceWhatIfJson } from "../../app/licenceWhatIf.js";
import { html, type Html } from "../html.js";
import { formatMoney, formatNumber, t, type Lang, type MessageKey } from "../i18n.js";
import { layout, type PageContext } from "../layout.js";

export interface WhatIfForm {
  departments: readonly string[];
  products: readonly { id: string; name: string }[];
  chosen: { department?: string; product?: string; seats?: string; months?: string; from?: string };
}

function form(lang: Lang, f: WhatIfForm): Html {
  const option = (value: string, label: string, chosen: string | undefined): Html =>
    html`<option value="${value}"${chosen === value ? html` selected` : ""}>${label}</option>`;
  return html`${[
    html`<form class="inline" method="get" action="/licences/what-if"><div><label for="w-department">`,
    html`${t(lang, "department")}</label><select id="w-department" name="department">`,
    html`${f.departments.map((d) => option(d, d, f.chosen.department))}</select></div>`,
    html`<div><label for="w-product">${t(lang, "product")}</label><select id="w-product" name="product">`,
    html`${f.products.map((p) => option(p.id, p.name, f.chosen.product))}</select></div>`,
    html`<div><label for="w-seats">${t(lang, "whatIfSeats")}</label><input id="w-seats" name="seats" `,
    html`value="${f.chosen.seats ?? "+1"}" size="6" pattern="[+-]?[0-9]{1,6}" required></div>`,
    html`<div><label for="w-months">${t(lang, "whatIfMonths")}</label><input id="w-months" name="months" `,
    html`value="${f.chosen.months ?? "12"}" size="3" inputmode="numeric"></div>`,
    html`<div><label for="w-from">${t(lang, "whatIfFrom")}</label><input id="w-from" name="from" `,
    html`value="${f.chosen.from ?? ""}" placeholder="YYYY-MM" size="8"></div>`,
    html`<div><button type="submit">${t(lang, "whatIfSubmit")}</button></div></form>`,
  ]}`;
}

type Row = { before: string; after: string; delta: string };

function table(lang: Lang, r: LicenceWhatIfJson): Html {
  const parts: [
    MessageKey,
    (m: LicenceWhatIfJson["months"][number] | LicenceWhatIfJson["total"]) => Row | undefined,
  ][] = [
    ["whatIfCharged", (m) => m.charged],
    ["whatIfUnrecovered", (m) => m.unrecovered],
    ["whatIfPurchased", (m) => m.purchased],
  ];
  const shown = parts.filter(([, pick]) => pick(r.total) !== undefined);
  const cells = (row: Row | undefined): Html =>
    html`${["before", "after", "delta"].map(
      (k) => html`<td class="num">${formatMoney(lang, row?.[k as keyof Row] ?? "0.00")}</td>`,
    )}`;
  const head = html`${[
    html`<thead><tr><th scope="col" rowspan="2">${t(lang, "month")}</th>`,
    html`${shown.map(([key]) => html`<th scope="colgroup" colspan="3">${t(lang, key)}</th>`)}</tr><tr>`,
    html`${shown.map(
      () =>
        html`${(["whatIfBefore", "whatIfAfter", "whatIfDelta"] as const).map(
          (k) => html`<th scope="col" class="num">${t(lang, k)}</th>`,
        )}`,
    )}</tr></thead>`,
  ]}`;
  const rows = r.months.map(
    (m) => html`<tr><th scope="row">${m.period}</th>${shown.map(([, pick]) => cells(pick(m)))}</tr>`,
  );
  const totals = shown.map(([, pick]) => cells(pick(r.total)));
  const total = html`<tr><th scope="row">${t(lang, "costsTotal")}</th>${totals}</tr>`;
  return html`<table>${head}<tbody>${rows}${total}</tbody></table>`;
}

export function licenceWhatIfPage(ctx: PageContext, f: WhatIfForm, result?: LicenceWhatIfJson): string {
  const { lang } = ctx;
  const summary = result
    ? html`${[
        html`<p>${t(lang, "whatIfSummary", {
          seats: result.seats > 0 ? `+${result.seats}` : String(result.seats),
          product: result.productName,
          department: result.department,
          from: result.from,
          to: result.to,
          held: formatNumber(lang, result.seatsHeld),
        })}`,
        result.seatsToBuy !== undefined && result.seats > 0
          ? html` ${t(lang, "whatIfSupply", {
              free: formatNumber(lang, result.freeSeatsUsed ?? 0),
              buy: formatNumber(lang, result.seatsToBuy),
              price: result.newSeatPrice ? formatMoney(lang, result.newSeatPrice) : "—",
            })}`
          : "",
        html`</p>`,
        table(lang, result),
      ]}`
    : "";
  const body = html`<p>${t(lang, "whatIfIntro")}</p>${form(lang, f)}${summary}`;
  return layout(ctx, t(lang, "whatIfTitle"), body, { current: "/licences" });
}
