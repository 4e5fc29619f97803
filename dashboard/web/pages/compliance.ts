// Compliance: the latest audit per stack, the coverage matrix of the chosen stack by BIO2 measure (or
// Cloud-theme control: measures × checks × pass/fail/waived, gaps named, the trend per measure over twelve
// months from the audit history), its open findings, the waivers with their expiry, and the yearly
// evidence dossier for the auditor. Auditors and admins add a
// report (a file read into the form by a small script, or pasted) or have the server run one.
import { complianceWriteRoles } from "../../auth/roles.js";
import { notEvidencedByPolicy } from "../../../policies/audit/coverage.js";
import type { Baseline } from "../../../policies/baseline.js";
import type { CoverageState, WaiverExpiry } from "../../domain/compliance.js";
import type { ComplianceState } from "../../app/complianceReports.js";
import { html, type Html } from "../html.js";
import { t } from "../i18n.js";
import { csrfField, layout, type PageContext } from "../layout.js";
import { localTime } from "../localTime.js";

// Meaning never rests on colour alone: every state carries a symbol and a word.
const coverageMark: Record<CoverageState, string> = { pass: "✓", fail: "✕", waived: "◐", "not-covered": "–" };
const waiverMark: Record<WaiverExpiry, string> = { active: "✓", "expiring-soon": "△", expired: "▲", invalid: "✕" };
const maxFindings = 200;
const trendMark: Record<CoverageState, string> = { pass: "✓", fail: "✕", waived: "◐", "not-covered": "–" };

function baselineLinks(ctx: PageContext, state: ComplianceState): Html {
  const { lang } = ctx;
  const stackQuery = state.stack ? `stack=${encodeURIComponent(state.stack)}&` : "";
  const link = (baseline: Baseline, label: "baselineBio2" | "baselineCloud") =>
    state.baseline === baseline
      ? html`<strong aria-current="true">${t(lang, label)}</strong>`
      : html`<a href="/compliance?${stackQuery}baseline=${baseline}">${t(lang, label)}</a>`;
  return html`${[
    html`<p>${t(lang, "baselineView")}: ${link("bio2", "baselineBio2")} | ${link("cloud-theme", "baselineCloud")}`,
    html`</p>`,
  ]}`;
}

function trendCell(lang: PageContext["lang"], state: ComplianceState, control: string): Html | string {
  if (!state.trend) return "";
  const months = state.trend.months;
  const row = state.trend.byControl[control] ?? months.map(() => null);
  const marks = row.map((m, i) => {
    const label = `${months[i] ?? ""}: ${m === null ? "—" : t(lang, m)}`;
    return html`${[
      html`<span class="trend trend-${m ?? "none"}" title="${label}" aria-label="${label}">`,
      html`${m === null ? "·" : trendMark[m]}</span>`,
    ]}`;
  });
  return html`<td class="nowrap">${marks}</td>`;
}

function coverageSection(ctx: PageContext, state: ComplianceState): Html {
  const { lang } = ctx;
  const stackQuery = state.stack ? `stack=${encodeURIComponent(state.stack)}&` : "";
  const bio2 = state.baseline === "bio2";
  const gapText = (gap: string) => t(lang, gap === notEvidencedByPolicy ? "gapNoPolicy" : "gapNotRun");
  return html`${baselineLinks(ctx, state)}
${[
  html`<p><a href="/api/v1/compliance/coverage?${stackQuery}baseline=${state.baseline}&format=csv">`,
  html`${t(lang, "exportCsv")}</a></p>`,
]}
${state.trend ? html`<p>${t(lang, "trendHelp")}</p>` : ""}
<table>
${[
  html`  <thead><tr><th scope="col">${t(lang, "control")}</th>`,
  html`${bio2 ? html`<th scope="col">${t(lang, "isoControl")}</th>` : ""}<th scope="col">`,
  html`${t(lang, "description")}</th><th scope="col">${t(lang, "status")}</th><th scope="col" class="num">`,
  html`${t(lang, "pass")}</th><th scope="col" class="num">${t(lang, "fail")}</th><th scope="col" class="num">`,
  html`${t(lang, "waived")}</th><th scope="col">${t(lang, "checks")}</th>`,
  html`${state.trend ? html`<th scope="col">${t(lang, "measureTrend")}</th>` : ""}</tr></thead>`,
]}
  <tbody>${state.coverage.map(
    (c) =>
      html`${[
        html`<tr><th scope="row">${c.control}</th>${bio2 ? html`<td>${c.isoControl ?? ""}</td>` : ""}<td>`,
        html`${c.text}</td><td><span class="cov cov-${c.state}">${coverageMark[c.state]} ${t(lang, c.state)}`,
        html`</span></td><td class="num">${c.pass}</td><td class="num">${c.fail}</td><td class="num">${c.waived}`,
        html`</td><td>`,
        html`${
          c.gap === undefined
            ? c.policies.map(
                (p) => html`<span title="${p.title}">${p.policyId}</span> (${p.pass}/${p.fail}/${p.waived})<br>`,
              )
            : html`<em>${gapText(c.gap)}</em>`
        }`,
        html`</td>${trendCell(lang, state, c.control)}</tr>`,
      ]}`,
  )}</tbody>
</table>
<h3>${t(lang, "evidenceTitle")}</h3>
${[
  html`<ul>`,
  html`${state.dossierYears.map(
    (y) =>
      html`${[
        html`<li><a href="/api/v1/compliance/evidence?year=${y}" download>${t(lang, "evidenceDossier", { y })}</a>`,
        html`</li>`,
      ]}`,
  )}`,
  html`</ul>`,
]}`;
}

export function compliancePage(ctx: PageContext, state: ComplianceState, notice?: string): string {
  const { lang } = ctx;
  const canWrite = ctx.principal !== undefined && complianceWriteRoles.includes(ctx.principal.role);
  const body = html`
${notice ? html`<p class="notice" role="status">${notice}</p>` : ""}
${canWrite ? uploadSection(ctx, state) : ""}
${stacksSection(ctx, state)}
${[
  html`<section aria-labelledby="coverage"><h2 id="coverage">`,
  html`${state.stack ? t(lang, "coverageTitle", { s: state.stack }) : t(lang, "coverageTitleNoStack")} — `,
  html`${t(lang, state.baseline === "bio2" ? "baselineBio2" : "baselineCloud")}</h2>`,
]}
${coverageSection(ctx, state)}
</section>
${state.report ? findingsSection(ctx, state) : ""}
${waiversSection(ctx, state)}`;
  return layout(ctx, t(lang, "compliance"), body, {
    current: "/compliance",
    scripts: canWrite ? ["/assets/compliance.js"] : [],
  });
}

/** The upload form and, when the server has a preview file, the run button (for those who may write). */
function uploadSection(ctx: PageContext, state: ComplianceState): Html {
  const { lang } = ctx;
  return html`<section aria-labelledby="upload"><h2 id="upload">${t(lang, "uploadAudit")}</h2>
<form class="stack" method="post" action="/compliance/audits">
  ${csrfField(ctx)}
${[
  html`  <div><label for="report-file">${t(lang, "reportFile")}</label>`,
  html`<input id="report-file" type="file" accept="application/json,.json"></div>`,
]}
${[
  html`  <div><label for="report">${t(lang, "reportText")}</label>`,
  html`<textarea id="report" name="report" rows="4" required spellcheck="false"></textarea></div>`,
]}
  <div><button type="submit">${t(lang, "upload")}</button></div>
</form>
${
  state.canRun
    ? html`${[
        html`<form class="stack" method="post" action="/compliance/run">${csrfField(ctx)}<p>`,
        html`${t(lang, "runAuditOn", { f: "--audit-preview" })}</p><div><button type="submit">`,
        html`${t(lang, "runAudit")}</button></div></form>`,
      ]}`
    : ""
}
</section>`;
}

/** The latest audit of every stack. */
function stacksSection(ctx: PageContext, state: ComplianceState): Html {
  const { lang } = ctx;
  return html`<section aria-labelledby="stacks"><h2 id="stacks">${t(lang, "latestPerStack")}</h2>
${
  state.stacks.length === 0
    ? html`<p>${t(lang, "complianceNone")}</p>`
    : html`<table>
${[
  html`  <thead><tr><th scope="col">${t(lang, "stack")}</th><th scope="col">${t(lang, "generatedAt")}</th>`,
  html`<th scope="col">${t(lang, "receivedFrom")}</th><th scope="col" class="num">${t(lang, "resources")}`,
  html`</th><th scope="col" class="num">${t(lang, "mandatoryFailures")}</th><th scope="col" class="num">`,
  html`${t(lang, "advisoryFailures")}</th><th scope="col" class="num">${t(lang, "waived")}</th>`,
  html`<th scope="col">${t(lang, "result")}</th></tr></thead>`,
]}
  <tbody>${state.stacks.map(
    (s) =>
      html`${[
        html`<tr><th scope="row"><a href="/compliance?stack=${encodeURIComponent(s.stack)}"`,
        html`${s.stack === state.stack ? html` aria-current="true"` : ""}>${s.stack}</a></th><td class="nowrap">`,
        html`${localTime(lang, s.generatedAt)}</td><td>${s.receivedFrom} (`,
        html`${t(lang, s.source === "server" ? "serverLabel" : "uploadLabel")})</td><td class="num">`,
        html`${s.resources}</td><td class="num">${s.mandatoryFailures}</td><td class="num">${s.advisoryFailures}`,
        html`</td><td class="num">${s.waived}</td><td><span class="state state-${s.passed ? "ok" : "over"}">`,
        html`${t(lang, s.passed ? "passed" : "failed")}</span></td></tr>`,
      ]}`,
  )}</tbody>
</table>
<p><a href="/api/v1/compliance/audits?format=csv">${t(lang, "exportCsv")}</a></p>`
}
</section>`;
}

/** The open findings of the stack shown. */
function findingsSection(ctx: PageContext, state: ComplianceState): Html {
  const { lang } = ctx;
  const stackName = state.stack ?? "—";
  return html`${[
    html`<section aria-labelledby="findings"><h2 id="findings">${t(lang, "findingsTitle", { s: stackName })} (`,
    html`${state.failures.length})</h2>`,
  ]}
<table>
${[
  html`  <thead><tr><th scope="col">${t(lang, "policy")}</th><th scope="col">${t(lang, "resource")}</th>`,
  html`<th scope="col">${t(lang, "message")}</th></tr></thead>`,
]}
  <tbody>${state.failures
    .slice(0, maxFindings)
    .map(
      (f) =>
        html`${[
          html`<tr><td>${f.policyId} <small>(${f.enforcementLevel})</small></td><td>${f.name ?? "(stack)"}</td><td>`,
          html`${f.message}</td></tr>`,
        ]}`,
    )}</tbody>
</table></section>`;
}

/** The waivers with their expiry. */
function waiversSection(ctx: PageContext, state: ComplianceState): Html {
  const { lang } = ctx;
  return html`<section aria-labelledby="waivers"><h2 id="waivers">${t(lang, "waiversTitle")}</h2>
${
  state.waivers.length === 0
    ? html`<p>${t(lang, "noWaivers", { f: state.waiversFile.split("/").slice(-2).join("/") })}</p>`
    : html`<p><a href="/api/v1/compliance/waivers?format=csv">${t(lang, "exportCsv")}</a></p>
<table>
${[
  html`  <thead><tr><th scope="col">Id</th><th scope="col">${t(lang, "status")}</th><th scope="col">`,
  html`${t(lang, "expiresOn")}</th><th scope="col" class="num">${t(lang, "daysLeft")}</th><th scope="col">`,
  html`${t(lang, "category")}</th><th scope="col">${t(lang, "checks")}</th><th scope="col">`,
  html`${t(lang, "riskOwner")}</th><th scope="col">${t(lang, "ticket")}</th><th scope="col">`,
  html`${t(lang, "problems")}</th></tr></thead>`,
]}
  <tbody>${state.waivers.map(
    (w) =>
      html`${[
        html`<tr class="waiver-${w.state}"><th scope="row">${w.id}</th><td><span class="wv wv-${w.state}">`,
        html`${waiverMark[w.state]} ${t(lang, w.state)}</span></td><td>${w.expiresOn ?? "—"}</td><td class="num">`,
        html`${w.daysLeft ?? "—"}</td><td>${w.category ?? "—"}</td><td>${w.policies.join(", ")}</td><td>`,
        html`${w.riskOwner ?? "—"}</td><td>${w.ticket ?? "—"}</td><td>${w.problems.join("; ")}</td></tr>`,
      ]}`,
  )}</tbody>
</table>`
}
</section>`;
}
