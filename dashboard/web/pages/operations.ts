// Operations: live status per host (filtered by department, service and environment), availability
// this month, and the SLA report per service (exportable as CSV).
import type { HostStatus, SlaRow } from "../../api/operationsQueries.js";
import { html } from "../html.js";
import { formatNumber, t } from "../i18n.js";
import { layout, type PageContext } from "../layout.js";

export interface OperationsView {
  period: string;
  slaPeriod: string;
  target: string;
  filter: { department?: string | undefined; service?: string | undefined; environment?: string | undefined };
  options: { departments: string[]; services: string[]; environments: string[] };
  hosts: HostStatus[];
  sla: SlaRow[];
}

export function operationsPage(ctx: PageContext, v: OperationsView): string {
  const { lang } = ctx;
  const select = (id: "department" | "service" | "environment", values: string[]) =>
    html`<div><label for="f-${id}">${t(lang, id)}</label><select id="f-${id}" name="${id}"><option value="">${t(lang, "all")}</option>${values.map((x) => html`<option value="${x}"${v.filter[id] === x ? html` selected` : ""}>${x}</option>`)}</select></div>`;
  const status = (h: HostStatus) => (h.up === null ? t(lang, "unknown") : h.up ? `● ${t(lang, "up")}` : `✕ ${t(lang, "down")}`);
  const body = html`
<form class="inline" method="get" action="/operations">
  ${select("department", v.options.departments)}${select("service", v.options.services)}${select("environment", v.options.environments)}
  <button type="submit">${t(lang, "filter")}</button>
</form>
<section aria-labelledby="hosts"><h2 id="hosts">${t(lang, "hosts")} (${v.hosts.length}) — ${v.period}</h2>
<table>
  <thead><tr><th scope="col">${t(lang, "host")}</th><th scope="col">${t(lang, "department")}</th><th scope="col">${t(lang, "service")}</th><th scope="col">${t(lang, "environment")}</th><th scope="col">${t(lang, "status")}</th><th scope="col">${t(lang, "lastScrape")}</th><th scope="col" class="num">${t(lang, "fsUsed")}</th><th scope="col" class="num">${t(lang, "availability")}</th></tr></thead>
  <tbody>${v.hosts.slice(0, 500).map(
    (h) => html`<tr><th scope="row">${h.name}</th><td>${h.department ?? "—"}</td><td>${h.service ?? "—"}</td><td>${h.environment ?? "—"}</td><td>${status(h)}</td><td>${h.lastScrape ?? "—"}</td><td class="num">${h.fsUsedBytes === null ? "—" : formatNumber(lang, Math.round(Number(h.fsUsedBytes) / 1e9))}</td><td class="num">${h.availability === null ? "—" : `${h.availability} %`}</td></tr>`,
  )}</tbody>
</table>
</section>
<section aria-labelledby="sla"><h2 id="sla">${t(lang, "slaReport")} — ${v.slaPeriod} (${t(lang, "slaTarget")} ${v.target} %)</h2>
<p><a href="/api/v1/operations/sla?period=${v.slaPeriod}&amp;format=csv">${t(lang, "exportCsv")}</a></p>
<table>
  <thead><tr><th scope="col">${t(lang, "service")}</th><th scope="col" class="num">${t(lang, "hosts")}</th><th scope="col" class="num">${t(lang, "availability")}</th><th scope="col">${t(lang, "status")}</th></tr></thead>
  <tbody>${v.sla.map((s) => html`<tr><th scope="row">${s.service}</th><td class="num">${s.hosts}</td><td class="num">${s.availability === null ? "—" : `${s.availability} %`}</td><td>${s.met === null ? t(lang, "unknown") : s.met ? `✓ ${t(lang, "met")}` : `✕ ${t(lang, "notMet")}`}</td></tr>`)}</tbody>
</table>
</section>`;
  return layout(ctx, t(lang, "operations"), body, { current: "/operations" });
}
