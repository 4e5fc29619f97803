// Operations: live status per host (up and when last measured, CPU, memory, fullest filesystem; filtered by
// department, service and environment), filesystems almost full, availability per host this month and
// the SLA report per service for last month (exportable as CSV and PDF).
import type { HostStatus, SlaRow } from "../../domain/operations.js";
import { html, type Html } from "../html.js";
import { formatNumber, formatPercent, t, type Lang } from "../i18n.js";
import { layout, scrollRegion, type PageContext } from "../layout.js";
import { localTime } from "../localTime.js";
import type { RolloutRecord } from "../../../contracts/rolloutHistory.js";
import { rolloutsSection } from "./rollouts.js";

export interface OperationsView {
  period: string;
  slaPeriod: string;
  target: string;
  almostFullPercent: number;
  filter: { department?: string | undefined; service?: string | undefined; environment?: string | undefined };
  options: { departments: string[]; services: string[]; environments: string[] };
  hosts: HostStatus[];
  almostFull: HostStatus[];
  sla: SlaRow[];
  /** The latest rollouts of the agent (muniops agents deploy). */
  rollouts?: RolloutRecord[];
}

const maxRows = 500;
const gigabytes = (lang: Lang, bytes: string | null): string =>
  bytes === null ? "—" : formatNumber(lang, Math.round(Number(bytes) / 1e9));
const pct = (lang: Lang, v: string | null): string => (v === null ? "—" : formatPercent(lang, v));

function met(lang: Lang, value: boolean | null): string {
  return value === null ? t(lang, "unknown") : value ? `✓ ${t(lang, "met")}` : `✕ ${t(lang, "notMet")}`;
}

function status(lang: Lang, h: HostStatus): Html {
  const state = h.up === null ? t(lang, "unknown") : h.up ? `● ${t(lang, "up")}` : `✕ ${t(lang, "down")}`;
  return h.stale ? html`${state} <span class="stale">(${t(lang, "stale")})</span>` : html`${state}`;
}

export function operationsPage(ctx: PageContext, v: OperationsView): string {
  const { lang } = ctx;
  const select = (id: "department" | "service" | "environment", values: string[]) =>
    html`${[
      html`<div><label for="f-${id}">${t(lang, id)}</label><select id="f-${id}" name="${id}"><option value="">`,
      html`${t(lang, "all")}</option>`,
      html`${values.map((x) => html`<option value="${x}"${v.filter[id] === x ? html` selected` : ""}>${x}</option>`)}`,
      html`</select></div>`,
    ]}`;
  const body = html`
<form class="inline" method="get" action="/operations">
${[
  html`  ${select("department", v.options.departments)}${select("service", v.options.services)}`,
  html`${select("environment", v.options.environments)}`,
]}
  <button type="submit">${t(lang, "filter")}</button>
</form>
${hostsSection(lang, v)}
${v.rollouts ? rolloutsSection(lang, v.rollouts) : ""}
${almostFullSection(lang, v)}
${[
  html`<section aria-labelledby="sla"><h2 id="sla">${t(lang, "slaReport")} — ${v.slaPeriod} (`,
  html`${t(lang, "slaTarget")} ${formatPercent(lang, v.target)})</h2>`,
]}
${[
  html`<p><a href="/api/v1/operations/sla?period=${v.slaPeriod}&amp;format=csv">${t(lang, "exportCsv")}</a> · `,
  html`<a href="/api/v1/operations/sla?period=${v.slaPeriod}&amp;format=pdf">${t(lang, "exportPdf")}</a></p>`,
]}
<table>
${[
  html`  <thead><tr><th scope="col">${t(lang, "service")}</th><th scope="col" class="num">${t(lang, "hosts")}`,
  html`</th><th scope="col" class="num">${t(lang, "availability")}</th><th scope="col">${t(lang, "status")}`,
  html`</th></tr></thead>`,
]}
  <tbody>${v.sla.map(
    (s) =>
      html`${[
        html`<tr><th scope="row">${s.service}</th><td class="num">${s.hosts}</td><td class="num">`,
        html`${pct(lang, s.availability)}</td><td>${met(lang, s.met)}</td></tr>`,
      ]}`,
  )}</tbody>
</table>
</section>`;
  return layout(ctx, t(lang, "operations"), body, { current: "/operations" });
}

/** Every host's live status and availability this month, with the CSV export of the filter on screen. */
function hostsSection(lang: Lang, v: OperationsView): Html {
  // the export carries the filter on screen
  const filterQuery = (["department", "service", "environment"] as const)
    .map((k) => (v.filter[k] ? `${k}=${encodeURIComponent(v.filter[k])}&` : ""))
    .join("");
  return html`<section aria-labelledby="hosts"><h2 id="hosts">${t(lang, "hosts")} (${v.hosts.length}) — ${v.period}</h2>
<p>${t(lang, "hostAvailability", { p: v.period, t: formatPercent(lang, v.target) })}</p>
${scrollRegion(
  { labelledBy: "hosts" },
  html`<table>
${[
  html`  <thead><tr><th scope="col">${t(lang, "host")}</th><th scope="col">${t(lang, "department")}</th>`,
  html`<th scope="col">${t(lang, "service")}</th><th scope="col">${t(lang, "environment")}</th><th scope="col">`,
  html`${t(lang, "status")}</th><th scope="col">${t(lang, "lastScrape")}</th><th scope="col" class="num">`,
  html`${t(lang, "cpuBusy")}</th><th scope="col" class="num">${t(lang, "memoryUsed")}</th><th scope="col">`,
  html`${t(lang, "fullestFs")}</th><th scope="col" class="num">${t(lang, "availability")}</th><th scope="col">`,
  html`${t(lang, "slaTarget")}</th></tr></thead>`,
]}
  <tbody>${v.hosts
    .slice(0, maxRows)
    .map(
      (h) =>
        html`${[
          html`<tr><th scope="row" class="nowrap">${h.name}</th><td class="nowrap">${h.department ?? "—"}</td>`,
          html`<td class="nowrap">${h.service ?? "—"}</td><td>${h.environment ?? "—"}</td><td class="nowrap">`,
          html`${status(lang, h)}</td><td class="nowrap">${localTime(lang, h.lastScrape)}</td><td class="num">`,
          html`${pct(lang, h.cpuBusyPercent)}</td><td class="num">${pct(lang, h.memoryUsedPercent)}</td>`,
          html`<td class="nowrap">`,
          html`${h.fullest ? `${h.fullest.mountpoint} ${formatPercent(lang, h.fullest.usedPercent)}` : "—"}</td>`,
          html`<td class="num">${pct(lang, h.availability)}</td><td class="nowrap">${met(lang, h.slaMet)}</td>`,
          html`</tr>`,
        ]}`,
    )}</tbody>
</table>`,
)}
<p><a href="/api/v1/operations/hosts?${filterQuery}format=csv">${t(lang, "exportCsv")}</a></p>
</section>`;
}

/** Hosts whose fullest filesystem is almost full. */
function almostFullSection(lang: Lang, v: OperationsView): Html {
  return html`<section aria-labelledby="full"><h2 id="full">${t(lang, "nearlyFull")} (${v.almostFull.length})</h2>
<p>${t(lang, "almostFullIntro", { p: v.almostFullPercent })}</p>
${
  v.almostFull.length === 0
    ? html`<p>${t(lang, "noneAlmostFull")}</p>`
    : html`<table>
${[
  html`  <thead><tr><th scope="col">${t(lang, "host")}</th><th scope="col">${t(lang, "department")}</th>`,
  html`<th scope="col">${t(lang, "mountpoint")}</th><th scope="col" class="num">${t(lang, "usedPercent")}`,
  html`</th><th scope="col" class="num">${t(lang, "available")}</th><th scope="col">${t(lang, "lastScrape")}`,
  html`</th></tr></thead>`,
]}
  <tbody>${v.almostFull
    .slice(0, maxRows)
    .map(
      (h) =>
        html`${[
          html`<tr><th scope="row" class="nowrap">${h.name}</th><td>${h.department ?? "—"}</td><td class="nowrap">`,
          html`${h.fullest?.mountpoint ?? "—"}</td><td class="num">▲ ${pct(lang, h.fullest?.usedPercent ?? null)}</td>`,
          html`<td class="num">${gigabytes(lang, h.fullest?.availBytes ?? null)}</td><td class="nowrap">`,
          html`${localTime(lang, h.lastScrape)}</td></tr>`,
        ]}`,
    )}</tbody>
</table>`
}
</section>`;
}
