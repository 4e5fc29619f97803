// Department: cost by type, statement lines and status (with sign-off / dispute for its controllers),
// statement downloads, servers with provisioned vs used capacity, shares, and licences assigned.
import type { departmentDetail } from "../../app/departmentViews.js";
import { signOffRoles } from "../../auth/roles.js";
import { html, type Html } from "../html.js";
import { formatMoney, formatNumber, formatPercent, t, type Lang } from "../i18n.js";
import { csrfField, layout, scrollRegion, type PageContext } from "../layout.js";
import { unpricedWarning } from "./unpriced.js";

type Detail = Awaited<ReturnType<typeof departmentDetail>>;

export function departmentPage(ctx: PageContext, d: Detail, notice?: string): string {
  const { lang } = ctx;
  const m = (v: string) => formatMoney(lang, v);
  const c = d.charge;
  const body = html`
${notice ? html`<p class="notice" role="status">${notice}</p>` : ""}
${unpricedWarning(lang, d.period, d.errors)}
<form class="inline" method="get" action="/departments/${d.department.id}">
${[
  html`  <div><label for="period">${t(lang, "month")}</label>`,
  html`<input id="period" name="period" type="month" value="${d.period}" pattern="\\d{4}-\\d{2}"></div>`,
]}
  <button type="submit">${t(lang, "filter")}</button>
</form>
${[
  html`<p>${t(lang, "costCenter")}: <strong>${d.department.costCenter}</strong> · ${t(lang, "headcount")}: `,
  html`${d.department.headcount}</p>`,
]}
<section aria-labelledby="types"><h2 id="types">${t(lang, "costType")} — ${d.period}</h2>
${
  c
    ? html`<table><tbody>
  ${(["compute", "storage", "licences", "shared", "adjustments"] as const).map(
    (k) => html`<tr><th scope="row">${t(lang, k)}</th><td class="num">${m(c[k])}</td></tr>`,
  )}
${[
  html`  </tbody><tfoot><tr><th scope="row">${t(lang, "total")}</th>`,
  html`<td class="num" data-testid="department-total">${m(c.total)}</td></tr></tfoot></table>`,
]}`
    : html`<p>${t(lang, "noData")}</p>`
}
</section>
${statementSection(ctx, d)}
${hostsSection(lang, d)}
${storageTrendSection(lang, d)}
<section aria-labelledby="shares"><h2 id="shares">${t(lang, "shares")}</h2>
${[
  html`<table><thead><tr><th scope="col">${t(lang, "item")}</th><th scope="col" class="num">${t(lang, "quota")}`,
  html`</th></tr></thead>`,
]}
${[
  html`<tbody>`,
  html`${d.shares.map(
    (s) => html`<tr><th scope="row">${s.name}</th><td class="num">${formatNumber(lang, s.quotaGib)}</td></tr>`,
  )}`,
  html`</tbody></table>`,
]}
</section>
<section aria-labelledby="licences"><h2 id="licences">${t(lang, "licences")}</h2>
${[
  html`<table><thead><tr><th scope="col">${t(lang, "product")}</th><th scope="col" class="num">`,
  html`${t(lang, "seats")}</th><th scope="col">${t(lang, "validFrom")}</th><th scope="col">`,
  html`${t(lang, "validTo")}</th></tr></thead>`,
]}
<tbody>${d.licences.map(
    (a) =>
      html`${[
        html`<tr><th scope="row">${a.productName}</th><td class="num">${a.seats}</td><td>${a.validFrom}</td><td>`,
        html`${a.validTo ?? "—"}</td></tr>`,
      ]}`,
  )}</tbody></table>
</section>`;
  return layout(ctx, `${t(lang, "department")}: ${d.department.name}`, body);
}

/** The month's statement: its status, downloads, the sign-off form for its controllers and its lines. */
function statementSection(ctx: PageContext, d: Detail): Html {
  const { lang } = ctx;
  const m = (v: string) => formatMoney(lang, v);
  const canSign =
    ctx.principal !== undefined && signOffRoles.includes(ctx.principal.role) && d.statement.status !== "open";
  const base = `/api/v1/departments/${d.department.id}/statement?period=${d.period}`;
  return html`<section aria-labelledby="statement"><h2 id="statement">${t(lang, "statement")}</h2>
${[
  html`<p>${t(lang, "statementStatus")}: <strong data-testid="statement-status">${t(lang, d.statement.status)}`,
  html`</strong>${d.statement.comment ? html` — ${d.statement.comment}` : ""}</p>`,
]}
${[
  html`<p><a href="${base}&format=pdf" download>${t(lang, "downloadPdf")}</a> · <a href="`,
  html`${base}&format=csv" download>${t(lang, "downloadCsv")}</a></p>`,
]}
${
  canSign
    ? html`<form class="stack" method="post" action="/departments/${d.department.id}/statement">
  ${csrfField(ctx)}<input type="hidden" name="period" value="${d.period}">
${[
  html`  <div><label for="comment">${t(lang, "reason")}</label>`,
  html`<textarea id="comment" name="comment" rows="2" maxlength="2000"></textarea></div>`,
]}
${[
  html`  <div><button type="submit" name="status" value="signed-off">${t(lang, "signOff")}</button> `,
  html`<button type="submit" name="status" value="disputed">${t(lang, "dispute")}</button></div>`,
]}
</form>`
    : ""
}
${scrollRegion(
  { labelledBy: "statement" },
  html`<table>
${[
  html`  <thead><tr><th scope="col">${t(lang, "costType")}</th><th scope="col">${t(lang, "item")}</th>`,
  html`<th scope="col">${t(lang, "description")}</th><th scope="col" class="num">${t(lang, "quantity")}</th>`,
  html`<th scope="col">${t(lang, "unit")}</th><th scope="col">${t(lang, "rateVersion")}</th>`,
  html`<th scope="col" class="num">${t(lang, "amount")}</th></tr></thead>`,
]}
  <tbody>${d.lines.map(
    (l) =>
      html`${[
        html`<tr><td>`,
        html`${t(
          lang,
          (["compute", "storage", "licences", "shared", "adjustments"] as const).find((k) => k === l.costType) ??
            "unknown",
        )}`,
        html`</td><td class="nowrap">${l.item}</td><td>${l.description}</td><td class="num">`,
        html`${formatNumber(lang, Number(l.quantity))}</td><td class="nowrap">${l.unit}</td><td>`,
        html`${l.rateVersion ?? "—"}</td><td class="num">${m(l.amount)}</td></tr>`,
      ]}`,
  )}</tbody>
</table>`,
)}
</section>`;
}

/** The department's servers: provisioned against used capacity, and availability. */
function hostsSection(lang: Lang, d: Detail): Html {
  const pct = (v: string | null) => (v === null ? "—" : formatPercent(lang, v));
  return html`<section aria-labelledby="hosts"><h2 id="hosts">${t(lang, "hosts")}</h2>
<p>${t(lang, "efficiencyIntro")}</p>
${scrollRegion(
  { labelledBy: "hosts" },
  html`<table>
${[
  html`  <thead><tr><th scope="col">${t(lang, "host")}</th><th scope="col">${t(lang, "service")}</th>`,
  html`<th scope="col">${t(lang, "environment")}</th><th scope="col" class="num">${t(lang, "vcpus")}</th>`,
  html`<th scope="col" class="num">${t(lang, "cpuBusy")}</th><th scope="col" class="num">${t(lang, "memory")}`,
  html`</th><th scope="col" class="num">${t(lang, "memoryUsed")}</th><th scope="col" class="num">`,
  html`${t(lang, "fsUsed")}</th><th scope="col" class="num">${t(lang, "availability")}</th></tr></thead>`,
]}
  <tbody>${d.hosts.map(
    (h) =>
      html`${[
        html`<tr><th scope="row" class="nowrap">${h.name}</th><td class="nowrap">${h.service ?? "—"}</td><td>`,
        html`${h.environment ?? "—"}</td><td class="num">${h.vcpus}</td><td class="num">${pct(h.cpuBusyPercent)}`,
        html`</td><td class="num">${formatNumber(lang, h.memoryMib / 1024)}</td><td class="num">`,
        html`${pct(h.memoryUsedPercent)}</td><td class="num">`,
        html`${h.fsUsedBytes === null ? "—" : formatNumber(lang, Math.round(Number(h.fsUsedBytes) / 1e9))}</td>`,
        html`<td class="num">${pct(h.availability)}</td></tr>`,
      ]}`,
  )}</tbody>
</table>`,
)}
</section>`;
}

/** Disk and share use per month. */
function storageTrendSection(lang: Lang, d: Detail): Html {
  return html`<section aria-labelledby="storage-trend"><h2 id="storage-trend">${t(lang, "storageTrend")}</h2>
<table>
${[
  html`  <thead><tr><th scope="col">${t(lang, "month")}</th><th scope="col" class="num">${t(lang, "diskGb")}`,
  html`</th><th scope="col" class="num">${t(lang, "shareGb")}</th></tr></thead>`,
]}
  <tbody>${d.storageTrend.map(
    (r) =>
      html`${[
        html`<tr><th scope="row">${r.period}</th><td class="num">`,
        html`${r.diskGb === null ? "—" : formatNumber(lang, Number(r.diskGb))}</td><td class="num">`,
        html`${r.shareGb === null ? "—" : formatNumber(lang, Number(r.shareGb))}</td></tr>`,
      ]}`,
  )}</tbody>
</table>
</section>`;
}
