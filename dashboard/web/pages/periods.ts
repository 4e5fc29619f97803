// Periods: every month with its status and sign-offs; service managers close a month after a preview
// and an explicit confirmation, and add adjustments.
import type { ScopedChargeback } from "../../app/dashboardService.js";
import { formatEuros } from "../../domain/money.js";
import type { Adjustment } from "../../domain/records.js";
import type { periodList } from "../../app/departmentViews.js";
import { managerRoles } from "../../auth/roles.js";
import { html } from "../html.js";
import { formatMoney, formatNumber, t } from "../i18n.js";
import { localTime } from "../localTime.js";
import { csrfField, layout, type PageContext } from "../layout.js";
import { unpricedWarning } from "./unpriced.js";

type Periods = Awaited<ReturnType<typeof periodList>>;

export function periodsPage(
  ctx: PageContext,
  periods: Periods,
  notice?: string,
  adjustments: { period: string; items: Adjustment[] }[] = [],
): string {
  const { lang } = ctx;
  const manager = ctx.principal !== undefined && managerRoles.includes(ctx.principal.role);
  const body = html`
${notice ? html`<p class="notice" role="status">${notice}</p>` : ""}
<table>
${[
  html`  <thead><tr><th scope="col">${t(lang, "month")}</th><th scope="col">${t(lang, "status")}</th>`,
  html`<th scope="col">${t(lang, "closedBy")}</th><th scope="col">${t(lang, "statementStatus")}</th>`,
  html`<th scope="col"><span class="visually-hidden">${t(lang, "closePeriod")}</span></th></tr></thead>`,
]}
  <tbody>${periods.map(
    (p) => html`${[
      html`<tr><th scope="row">${p.period}</th><td>`,
      html`${t(lang, p.status === "closed" ? "closed" : p.status === "current" ? "currentMonth" : "open")}</td>`,
      html`<td>${p.closedBy && p.closedAt ? `${p.closedBy} (${p.closedAt.slice(0, 10)})` : "—"}</td>`,
    ]}
    <td>${(p.signOff ?? []).map(
      (s) => html`${s.department}: ${t(lang, s.status === "disputed" ? "disputed" : "signed-off")}<br>`,
    )}</td>
${[
  html`    <td>`,
  html`${
    manager && p.status === "open"
      ? html`<a href="/periods/${p.period}/close">${t(lang, "closePeriod")} ${p.period}</a>`
      : ""
  }`,
  html`</td></tr>`,
]}`,
  )}</tbody>
</table>
${adjustments.map(
  (a) => html`<h2 id="adj-${a.period}">${t(lang, "adjustmentsOf", { p: a.period })}</h2>
${
  a.items.length === 0
    ? html`<p>${t(lang, "noData")}</p>`
    : html`<table aria-labelledby="adj-${a.period}">
${[
  html`  <thead><tr><th scope="col">${t(lang, "department")}</th><th scope="col" class="num">`,
  html`${t(lang, "amount")}</th><th scope="col">${t(lang, "reason")}</th><th scope="col">`,
  html`${t(lang, "refersTo")}</th><th scope="col">${t(lang, "actor")}</th><th scope="col">${t(lang, "at")}`,
  html`</th></tr></thead>`,
]}
  <tbody>${a.items.map(
    (x) =>
      html`${[
        html`<tr><th scope="row">${x.department}</th><td class="num">${formatMoney(lang, formatEuros(x.amountCents))}`,
        html`</td><td>${x.reason}</td><td>${x.refersToPeriod ?? "—"}</td><td>${x.actor}</td><td class="nowrap">`,
        html`${localTime(lang, x.at)}</td></tr>`,
      ]}`,
  )}</tbody>
</table>`
}`,
)}
${
  manager
    ? html`<h2 id="adjust">${t(lang, "addAdjustment")}</h2>
<form class="stack" method="post" action="/adjustments" aria-labelledby="adjust">
  ${csrfField(ctx)}
${[
  html`  <div><label for="adj-period">${t(lang, "month")}</label>`,
  html`<input id="adj-period" name="period" required pattern="\\d{4}-\\d{2}" placeholder="2026-11"></div>`,
]}
${[
  html`  <div><label for="adj-department">${t(lang, "department")}</label>`,
  html`<input id="adj-department" name="department" required></div>`,
]}
${[
  html`  <div><label for="adj-amount">${t(lang, "amount")} (EUR)</label>`,
  html`<input id="adj-amount" name="amount" required inputmode="decimal" placeholder="-12.50"></div>`,
]}
${[
  html`  <div><label for="adj-reason">${t(lang, "reason")}</label>`,
  html`<input id="adj-reason" name="reason" required maxlength="500"></div>`,
]}
${[
  html`  <div><label for="adj-refers">${t(lang, "refersTo")}</label>`,
  html`<input id="adj-refers" name="refersToPeriod" pattern="\\d{4}-\\d{2}"></div>`,
]}
  <div><button type="submit">${t(lang, "save")}</button></div>
</form>`
    : ""
}`;
  return layout(ctx, t(lang, "periods"), body, { current: "/periods" });
}

export function closePreviewPage(ctx: PageContext, doc: ScopedChargeback): string {
  const { lang } = ctx;
  const m = (v: string) => formatMoney(lang, v);
  // Statements closed before unmetered hours were counted have none: they were not compared.
  const unmetered = doc.unmeteredHours ?? 0;
  const missingHours = doc.gapHours + unmetered;
  const body = html`
<h2>${t(lang, "closePreview", { p: doc.period })}</h2>
${unpricedWarning(lang, doc.period, doc.errors ?? [])}
${
  missingHours > 0
    ? html`${[
        html`<p class="notice" role="status" id="missingHours">`,
        html`${t(lang, "missingHours", {
          gap: formatNumber(lang, doc.gapHours),
          unmetered: formatNumber(lang, unmetered),
        })}`,
        html`</p>`,
      ]}`
    : ""
}
<table>
${[
  html`  <thead><tr><th scope="col">${t(lang, "department")}</th><th scope="col">${t(lang, "costCenter")}</th>`,
  html`<th scope="col" class="num">${t(lang, "total")}</th></tr></thead>`,
]}
${[
  html`  <tbody>`,
  html`${doc.departments.map(
    (d) => html`<tr><th scope="row">${d.name}</th><td>${d.costCenter}</td><td class="num">${m(d.total)}</td></tr>`,
  )}`,
]}
  ${
    doc.unallocated !== undefined
      ? html`${[
          html`<tr><th scope="row">${t(lang, "unallocated")}</th><td></td><td class="num">${m(doc.unallocated)}</td>`,
          html`</tr>`,
        ]}`
      : ""
  }
  ${
    doc.unrecovered !== undefined
      ? html`${[
          html`<tr><th scope="row">${t(lang, "unrecovered")}</th><td></td><td class="num">${m(doc.unrecovered)}</td>`,
          html`</tr>`,
        ]}`
      : ""
  }</tbody>
  <tfoot><tr><th scope="row">${t(lang, "total")}</th><td></td><td class="num">${m(doc.total)}</td></tr></tfoot>
</table>
<form class="stack" method="post" action="/periods/${doc.period}/close">
  ${csrfField(ctx)}
${[
  html`  <div><input type="checkbox" id="confirm" name="confirm" value="yes" required> `,
  html`<label for="confirm" class="inline-label">${t(lang, "confirmClose", { p: doc.period })}</label></div>`,
]}
  ${
    missingHours > 0
      ? html`${[
          html`<div><input type="checkbox" id="acceptGaps" name="acceptGaps" value="yes"> `,
          html`<label for="acceptGaps" class="inline-label">${t(lang, "acceptGaps")} (${missingHours} h)</label></div>`,
        ]}`
      : ""
  }
  <div><button type="submit">${t(lang, "closePeriod")} ${doc.period}</button></div>
</form>`;
  return layout(ctx, t(lang, "closePeriod"), body, { current: "/periods" });
}
