// The operations page's rollouts: the records of `muniops agents deploy`, newest first (who, when, which
// version, how it ended, its hosts in figures and its waves), change evidence for auditors.
import { rolloutCounts, type RolloutRecord } from "../../../contracts/rolloutHistory.js";
import { html, type Html } from "../html.js";
import { t, type Lang } from "../i18n.js";
import { localTime } from "../localTime.js";

export function rolloutsSection(lang: Lang, rollouts: readonly RolloutRecord[]): Html {
  const head = [t(lang, "rolloutStarted"), t(lang, "rolloutUser"), t(lang, "rolloutVersion"), t(lang, "status")];
  head.push(t(lang, "hosts"), t(lang, "rolloutOk"), t(lang, "failed"), t(lang, "rolloutNotStarted"));
  head.push(t(lang, "rolloutWaves"));
  const row = (r: RolloutRecord): Html => {
    const counts = rolloutCounts(r);
    const waves = r.waves.map((w) => `${w.name}: ${w.status}`).join(", ");
    return html`${[
      html`<tr><td class="nowrap">${localTime(lang, r.startedAt)}</td><td>${r.user}</td>`,
      html`<td class="nowrap">${r.version}</td><td class="nowrap">${r.status}</td>`,
      html`<td class="num">${r.hosts.length}</td><td class="num">${counts.ok}</td>`,
      html`<td class="num">${counts.failed}</td><td class="num">${counts.notStarted}</td><td>${waves}</td></tr>`,
    ]}`;
  };
  return html`<section aria-labelledby="rollouts"><h2 id="rollouts">${t(lang, "rollouts")} (${rollouts.length})</h2>
<p>${t(lang, "rolloutsIntro")}</p>
${
  rollouts.length === 0
    ? html`<p>${t(lang, "noRollouts")}</p>`
    : html`<table>
  <thead><tr>${head.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
  <tbody>${rollouts.map(row)}</tbody>
</table>
<p><a href="/api/v1/operations/rollouts?format=csv">${t(lang, "exportCsv")}</a></p>`
}
</section>`;
}
