// Compliance: the latest audit per stack, the BIO coverage matrix (controls × checks × pass/fail/waived)
// and open findings of the chosen stack, and the waivers with their expiry. Auditors and admins add a
// report (a file read into the form by a small script, or pasted) or have the server run one.
import { complianceWriteRoles } from "../../auth/roles.js";
import type { CoverageState, WaiverExpiry } from "../../domain/compliance.js";
import type { ComplianceState } from "../../app/complianceReports.js";
import { html } from "../html.js";
import { t } from "../i18n.js";
import { csrfField, layout, type PageContext } from "../layout.js";
import { localTime } from "../localTime.js";

// Meaning never rests on colour alone: every state carries a symbol and a word.
const coverageMark: Record<CoverageState, string> = { pass: "✓", fail: "✕", waived: "◐", "not-covered": "–" };
const waiverMark: Record<WaiverExpiry, string> = { active: "✓", "expiring-soon": "△", expired: "▲", invalid: "✕" };
const maxFindings = 200;

export function compliancePage(ctx: PageContext, state: ComplianceState, notice?: string): string {
  const { lang } = ctx;
  const canWrite = ctx.principal !== undefined && complianceWriteRoles.includes(ctx.principal.role);
  const stackName = state.stack ?? "—";
  const stackQuery = state.stack ? `stack=${encodeURIComponent(state.stack)}&` : "";
  const body = html`
${notice ? html`<p class="notice" role="status">${notice}</p>` : ""}
${
  canWrite
    ? html`<section aria-labelledby="upload"><h2 id="upload">${t(lang, "uploadAudit")}</h2>
<form class="stack" method="post" action="/compliance/audits">
  ${csrfField(ctx)}
  <div><label for="report-file">${t(lang, "reportFile")}</label><input id="report-file" type="file" accept="application/json,.json"></div>
  <div><label for="report">${t(lang, "reportText")}</label><textarea id="report" name="report" rows="4" required spellcheck="false"></textarea></div>
  <div><button type="submit">${t(lang, "upload")}</button></div>
</form>
${
  state.canRun
    ? html`<form class="stack" method="post" action="/compliance/run">${csrfField(ctx)}<p>${t(lang, "runAuditOn", { f: "--audit-preview" })}</p><div><button type="submit">${t(lang, "runAudit")}</button></div></form>`
    : ""
}
</section>`
    : ""
}
<section aria-labelledby="stacks"><h2 id="stacks">${t(lang, "latestPerStack")}</h2>
${
  state.stacks.length === 0
    ? html`<p>${t(lang, "complianceNone")}</p>`
    : html`<table>
  <thead><tr><th scope="col">${t(lang, "stack")}</th><th scope="col">${t(lang, "generatedAt")}</th><th scope="col">${t(lang, "receivedFrom")}</th><th scope="col" class="num">${t(lang, "resources")}</th><th scope="col" class="num">${t(lang, "mandatoryFailures")}</th><th scope="col" class="num">${t(lang, "advisoryFailures")}</th><th scope="col" class="num">${t(lang, "waived")}</th><th scope="col">${t(lang, "result")}</th></tr></thead>
  <tbody>${state.stacks.map(
    (s) =>
      html`<tr><th scope="row"><a href="/compliance?stack=${encodeURIComponent(s.stack)}"${s.stack === state.stack ? html` aria-current="true"` : ""}>${s.stack}</a></th><td class="nowrap">${localTime(lang, s.generatedAt)}</td><td>${s.receivedFrom} (${t(lang, s.source === "server" ? "serverLabel" : "uploadLabel")})</td><td class="num">${s.resources}</td><td class="num">${s.mandatoryFailures}</td><td class="num">${s.advisoryFailures}</td><td class="num">${s.waived}</td><td><span class="state state-${s.passed ? "ok" : "over"}">${t(lang, s.passed ? "passed" : "failed")}</span></td></tr>`,
  )}</tbody>
</table>
<p><a href="/api/v1/compliance/audits?format=csv">${t(lang, "exportCsv")}</a></p>`
}
</section>
<section aria-labelledby="coverage"><h2 id="coverage">${state.stack ? t(lang, "coverageTitle", { s: state.stack }) : t(lang, "coverageTitleNoStack")}</h2>
<p><a href="/api/v1/compliance/coverage?${stackQuery}format=csv">${t(lang, "exportCsv")}</a></p>
<table>
  <thead><tr><th scope="col">${t(lang, "control")}</th><th scope="col">${t(lang, "description")}</th><th scope="col">${t(lang, "status")}</th><th scope="col" class="num">${t(lang, "pass")}</th><th scope="col" class="num">${t(lang, "fail")}</th><th scope="col" class="num">${t(lang, "waived")}</th><th scope="col">${t(lang, "checks")}</th></tr></thead>
  <tbody>${state.coverage.map(
    (c) =>
      html`<tr><th scope="row">${c.control}</th><td>${c.text}</td><td><span class="cov cov-${c.state}">${coverageMark[c.state]} ${t(lang, c.state)}</span></td><td class="num">${c.pass}</td><td class="num">${c.fail}</td><td class="num">${c.waived}</td><td>${c.policies.map((p) => html`<span title="${p.title}">${p.policyId}</span> (${p.pass}/${p.fail}/${p.waived})<br>`)}</td></tr>`,
  )}</tbody>
</table>
</section>
${
  state.report
    ? html`<section aria-labelledby="findings"><h2 id="findings">${t(lang, "findingsTitle", { s: stackName })} (${state.failures.length})</h2>
<table>
  <thead><tr><th scope="col">${t(lang, "policy")}</th><th scope="col">${t(lang, "resource")}</th><th scope="col">${t(lang, "message")}</th></tr></thead>
  <tbody>${state.failures.slice(0, maxFindings).map((f) => html`<tr><td>${f.policyId} <small>(${f.enforcementLevel})</small></td><td>${f.name ?? "(stack)"}</td><td>${f.message}</td></tr>`)}</tbody>
</table></section>`
    : ""
}
<section aria-labelledby="waivers"><h2 id="waivers">${t(lang, "waiversTitle")}</h2>
${
  state.waivers.length === 0
    ? html`<p>${t(lang, "noWaivers", { f: state.waiversFile.split("/").slice(-2).join("/") })}</p>`
    : html`<p><a href="/api/v1/compliance/waivers?format=csv">${t(lang, "exportCsv")}</a></p>
<table>
  <thead><tr><th scope="col">Id</th><th scope="col">${t(lang, "status")}</th><th scope="col">${t(lang, "expiresOn")}</th><th scope="col" class="num">${t(lang, "daysLeft")}</th><th scope="col">${t(lang, "category")}</th><th scope="col">${t(lang, "checks")}</th><th scope="col">${t(lang, "riskOwner")}</th><th scope="col">${t(lang, "ticket")}</th><th scope="col">${t(lang, "problems")}</th></tr></thead>
  <tbody>${state.waivers.map(
    (w) =>
      html`<tr class="waiver-${w.state}"><th scope="row">${w.id}</th><td><span class="wv wv-${w.state}">${waiverMark[w.state]} ${t(lang, w.state)}</span></td><td>${w.expiresOn ?? "—"}</td><td class="num">${w.daysLeft ?? "—"}</td><td>${w.category ?? "—"}</td><td>${w.policies.join(", ")}</td><td>${w.riskOwner ?? "—"}</td><td>${w.ticket ?? "—"}</td><td>${w.problems.join("; ")}</td></tr>`,
  )}</tbody>
</table>`
}
</section>`;
  return layout(ctx, t(lang, "compliance"), body, {
    current: "/compliance",
    scripts: canWrite ? ["/assets/compliance.js"] : [],
  });
}
