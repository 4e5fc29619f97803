// Patch compliance (BIO2 8.08.01): the share of servers within the one-week rule for the whole fleet and per
// department, then every server, breaches first, with its pending security updates, the reboot backlog and
// the waiver that mitigates a breach. The figures come from app/patchViews.ts; the rule from the domain.
import type { PatchView } from "../../app/patchViews.js";
import type { HostPatchCompliance, PatchTally, PatchVerdict } from "../../domain/patchCompliance.js";
import { patchRuleDays } from "../../domain/patchCompliance.js";
import { html, type Html } from "../html.js";
import { formatNumber, formatPercent, t, type Lang, type MessageKey } from "../i18n.js";
import { layout, scrollRegion, type PageContext } from "../layout.js";
import { localTime } from "../localTime.js";

const maxRows = 1000;
const verdictKeys: Record<PatchVerdict, MessageKey> = {
  breach: "patchBreach",
  mitigated: "patchMitigated",
  within: "patchWithin",
  unknown: "patchUnknown",
};
const verdictMarks: Record<PatchVerdict, string> = { breach: "✕", mitigated: "◐", within: "✓", unknown: "?" };
const n = (lang: Lang, v: number | null): string => (v === null ? "—" : formatNumber(lang, v));
const share = (lang: Lang, v: number | null): string => (v === null ? "—" : formatPercent(lang, (v * 100).toFixed(1)));

function tallyCells(lang: Lang, tally: PatchTally): Html {
  return html`${[
    html`<td class="num">${share(lang, tally.shareWithinRule)}</td><td class="num">${tally.servers}</td>`,
    html`<td class="num">${tally.breach}</td><td class="num">${tally.mitigated}</td><td class="num">`,
    html`${tally.unknown}</td><td class="num">${tally.rebootPending}</td><td class="num">`,
    html`${n(lang, tally.longestRebootPendingDays)}</td>`,
  ]}`;
}

function tallyHead(lang: Lang, first: string): Html {
  const cols = ["patchShare", "hosts", "patchBreach", "patchMitigated", "patchUnknown", "patchRebootBacklog"] as const;
  return html`${[
    html`<thead><tr><th scope="col">${first}</th>`,
    html`${cols.map((k) => html`<th scope="col" class="num">${t(lang, k)}</th>`)}<th scope="col" class="num">`,
    html`${t(lang, "patchLongestReboot")}</th></tr></thead>`,
  ]}`;
}

function hostRow(lang: Lang, h: HostPatchCompliance): Html {
  const m = h.mitigation;
  const waiver = m ? `${m.waiverId} (${m.riskAnalysis}, ${m.expiresOn})` : "—";
  return html`${[
    html`<tr class="${h.verdict === "breach" ? "over" : ""}"><th scope="row" class="nowrap">${h.host}</th>`,
    html`<td class="nowrap">${h.department ?? "—"}</td><td class="nowrap">${verdictMarks[h.verdict]} `,
    html`${t(lang, verdictKeys[h.verdict])}</td><td class="num">${n(lang, h.securityPending)}</td>`,
    html`<td class="num">${n(lang, h.securityPendingDays)}</td><td class="num">${n(lang, h.otherPending)}</td>`,
    html`<td class="num">${n(lang, h.rebootPendingDays)}</td><td>${waiver}</td><td class="nowrap">`,
    html`${localTime(lang, h.at)}</td></tr>`,
  ]}`;
}

export function patchesPage(ctx: PageContext, v: PatchView): string {
  const { lang } = ctx;
  const title = t(lang, "patchTitle");
  const chosen = v.department;
  const query = chosen ? `department=${encodeURIComponent(chosen)}&` : "";
  const filter = html`${[
    html`<form class="inline" method="get" action="/patches"><div><label for="f-department">`,
    html`${t(lang, "department")}</label><select id="f-department" name="department"><option value="">`,
    html`${t(lang, "all")}</option>`,
    html`${v.departmentOptions.map(
      (d) => html`<option value="${d}"${chosen === d ? html` selected` : ""}>${d}</option>`,
    )}`,
    html`</select></div><button type="submit">${t(lang, "filter")}</button></form>`,
  ]}`;
  const intro = html`<p>${t(lang, "patchIntro", { d: patchRuleDays, day: v.day, file: v.waiversFile })}</p>`;
  if (v.hosts.length === 0) return layout(ctx, title, html`${intro}${filter}<p>${t(lang, "patchNoData")}</p>`);
  const body = html`${intro}${filter}
<section aria-labelledby="patch-departments"><h2 id="patch-departments">${t(lang, "patchByDepartment")}</h2>
<table>${tallyHead(lang, t(lang, "department"))}
<tbody><tr><th scope="row">${t(lang, "patchOverall")}</th>${tallyCells(lang, v.overall)}</tr>
${[
  html`${v.departments.map(
    (d) =>
      html`${[
        html`<tr><th scope="row">${d.department ?? t(lang, "patchNoDepartment")}</th>${tallyCells(lang, d.tally)}`,
        html`</tr>`,
      ]}`,
  )}`,
  html`</tbody>`,
]}
</table></section>
<section aria-labelledby="patch-hosts"><h2 id="patch-hosts">${t(lang, "patchServers", { n: v.hosts.length })}</h2>
${scrollRegion(
  { labelledBy: "patch-hosts" },
  html`${[
    html`<table><thead><tr><th scope="col">${t(lang, "host")}</th><th scope="col">${t(lang, "department")}</th>`,
    html`<th scope="col">${t(lang, "status")}</th><th scope="col" class="num">${t(lang, "patchSecurity")}</th>`,
    html`<th scope="col" class="num">${t(lang, "patchOldest")}</th><th scope="col" class="num">`,
    html`${t(lang, "patchOther")}</th><th scope="col" class="num">${t(lang, "patchReboot")}</th><th scope="col">`,
    html`${t(lang, "patchWaiver")}</th><th scope="col">${t(lang, "lastScrape")}</th></tr></thead>`,
  ]}
<tbody>${v.hosts.slice(0, maxRows).map((h) => hostRow(lang, h))}</tbody></table>`,
)}
<p><a href="/api/v1/patches?${query}format=csv">${t(lang, "exportCsv")}</a></p>
</section>`;
  return layout(ctx, title, body, { current: "/patches" });
}
