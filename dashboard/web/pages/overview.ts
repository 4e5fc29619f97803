// Overview: this month so far and the last closed month, cost per department (chart + table), the
// 12-month trend, forecast vs actual vs budget, and the largest changes.
import type { OverviewData } from "../../app/dashboardService.js";
import type { DepartmentForecast } from "../../domain/planForecast.js";
import { html, jsonData, type Html } from "../html.js";
import { formatMoney, t, type Lang } from "../i18n.js";
import { layout, type PageContext } from "../layout.js";
import { unpricedWarning } from "./unpriced.js";

// The overview's body depends only on the (cached, immutable) data and the language: render it once per
// pair; the shell around it (user, CSRF token) is per request.
const rendered = new WeakMap<OverviewData, Map<string, Html>>();

/** `forecast`: the plan priced at the rate card per department, when the dashboard has an inventory. */
export function overviewPage(ctx: PageContext, data: OverviewData, forecast?: DepartmentForecast): string {
  let byLang = rendered.get(data);
  if (!byLang) {
    byLang = new Map();
    rendered.set(data, byLang);
  }
  const key = `${ctx.lang}|${forecast ? [...forecast.values()].join(",") : ""}`;
  let body = byLang.get(key);
  if (!body) {
    body = overviewBody(ctx.lang, data, forecast);
    byLang.set(key, body);
  }
  return layout(ctx, t(ctx.lang, "overview"), body, {
    scripts: ["/assets/chart.umd.min.js", "/assets/overview.js"],
    current: "/",
  });
}

function overviewBody(lang: Lang, data: OverviewData, forecast: DepartmentForecast | undefined): Html {
  const m = (v: string) => formatMoney(lang, v);
  const chartData = overviewChartData(lang, data, forecast);
  const body = html`
${unpricedWarning(lang, data.currentPeriod, data.errors)}
<section class="cards" aria-label="${t(lang, "total")}">
${[
  html`  <div class="card"><h2>${t(lang, "thisMonthSoFar")}</h2><p class="amount" data-testid="current-total">`,
  html`${m(data.current.total)}</p><p>${data.currentPeriod}</p></div>`,
]}
${[
  html`  <div class="card"><h2>${t(lang, "lastClosedMonth")}</h2>`,
  html`${
    data.lastClosed
      ? html`<p class="amount">${m(data.lastClosed.total)}</p><p>${data.lastClosed.period}</p>`
      : html`<p>${t(lang, "noClosedMonth")}</p>`
  }`,
  html`</div>`,
]}
</section>
<script type="application/json" id="chart-data">${jsonData(chartData)}</script>
${departmentsSection(lang, data)}
${trendSection(lang, data)}
${budgetSection(lang, data, forecast)}
${changesSection(lang, data)}`;
  return body;
}

/** What the three charts draw, as the page's JSON data block. */
function overviewChartData(lang: Lang, data: OverviewData, forecast: DepartmentForecast | undefined) {
  const planned = (department: string): string | undefined => forecast?.get(department);
  return {
    departments: {
      labels: data.current.departments.map((d) => d.name),
      values: data.current.departments.map((d) => Number(d.total)),
      label: t(lang, "total"),
    },
    trend: {
      labels: data.trend.map((p) => p.period),
      values: data.trend.map((p) => Number(p.total)),
      label: t(lang, "total"),
    },
    budget: {
      labels: data.budget.map((b) => b.name),
      series: [
        ...(forecast
          ? [{ label: t(lang, "forecastPlan"), values: data.budget.map((b) => Number(planned(b.department) ?? 0)) }]
          : []),
        { label: t(lang, "projected"), values: data.budget.map((b) => Number(b.projected)) },
        {
          label: t(lang, "monthlyBudget"),
          values: data.budget.map((b) => (b.monthlyBudget === null ? null : Number(b.monthlyBudget))),
        },
      ],
    },
    locale: lang === "nl" ? "nl-NL" : "en-IE",
  };
}

/** This month per department, with the chart and the organisation-wide remainders. */
function departmentsSection(lang: Lang, data: OverviewData): Html {
  const m = (v: string) => formatMoney(lang, v);
  return html`<section aria-labelledby="per-dept">
  <h2 id="per-dept">${t(lang, "perDepartment")} (${data.currentPeriod})</h2>
${[
  html`  <figure><div class="chart"><canvas id="department-chart" role="img" aria-label="`,
  html`${t(lang, "chartAlt")}"></canvas></div></figure>`,
]}
  <table>
    <caption class="visually-hidden">${t(lang, "perDepartment")}</caption>
${[
  html`    <thead><tr><th scope="col">${t(lang, "department")}</th><th scope="col" class="num">`,
  html`${t(lang, "compute")}</th><th scope="col" class="num">${t(lang, "storage")}</th>`,
  html`<th scope="col" class="num">${t(lang, "licences")}</th><th scope="col" class="num">${t(lang, "shared")}`,
  html`</th><th scope="col" class="num">${t(lang, "adjustments")}</th><th scope="col" class="num">`,
  html`${t(lang, "total")}</th></tr></thead>`,
]}
    <tbody>${data.current.departments.map(
      (d) =>
        html`${[
          html`<tr><th scope="row"><a href="/departments/${d.id}">${d.name}</a></th><td class="num">`,
          html`${m(d.compute)}</td><td class="num">${m(d.storage)}</td><td class="num">${m(d.licences)}</td>`,
          html`<td class="num">${m(d.shared)}</td><td class="num">${m(d.adjustments)}</td><td class="num">`,
          html`${m(d.total)}</td></tr>`,
        ]}`,
    )}
    ${
      data.current.unallocated !== undefined
        ? html`${[
            html`<tr><th scope="row">${t(lang, "unallocated")}</th><td colspan="5"></td><td class="num">`,
            html`${m(data.current.unallocated)}</td></tr>`,
          ]}`
        : ""
    }
    ${
      data.current.unrecovered !== undefined
        ? html`${[
            html`<tr><th scope="row">${t(lang, "unrecovered")}</th><td colspan="5"></td><td class="num">`,
            html`${m(data.current.unrecovered)}</td></tr>`,
          ]}`
        : ""
    }
    </tbody>
${[
  html`    <tfoot><tr><th scope="row">${t(lang, "total")}</th><td colspan="5"></td><td class="num">`,
  html`${m(data.current.total)}</td></tr></tfoot>`,
]}
  </table>
</section>`;
}

/** The monthly totals of the trend. */
function trendSection(lang: Lang, data: OverviewData): Html {
  const m = (v: string) => formatMoney(lang, v);
  return html`<section aria-labelledby="trend">
  <h2 id="trend">${t(lang, "trend")}</h2>
${[
  html`  <figure><div class="chart"><canvas id="trend-chart" role="img" aria-label="${t(lang, "trendAlt")}">`,
  html`</canvas></div></figure>`,
]}
  <table>
${[
  html`    <thead><tr><th scope="col">${t(lang, "month")}</th><th scope="col">${t(lang, "status")}</th>`,
  html`<th scope="col" class="num">${t(lang, "total")}</th></tr></thead>`,
]}
    <tbody>${data.trend.map(
      (p) =>
        html`${[
          html`<tr><th scope="row">${p.period}</th><td>${t(lang, p.status === "closed" ? "closed" : "open")}</td>`,
          html`<td class="num">${m(p.total)}</td></tr>`,
        ]}`,
    )}</tbody>
  </table>
</section>`;
}

/** Forecast, actual and projection against the monthly budget per department. */
function budgetSection(lang: Lang, data: OverviewData, forecast: DepartmentForecast | undefined): Html {
  const m = (v: string) => formatMoney(lang, v);
  const planned = (department: string): string | undefined => forecast?.get(department);
  return html`<section aria-labelledby="budget">
  <h2 id="budget">${t(lang, "budgetTitle")}</h2>
${[
  html`  <figure><div class="chart"><canvas id="budget-chart" role="img" aria-label="${t(lang, "budgetAlt")}">`,
  html`</canvas></div></figure>`,
]}
  ${forecast ? "" : html`<p>${t(lang, "noForecast")}</p>`}
  <table>
${[
  html`    <thead><tr><th scope="col">${t(lang, "department")}</th>`,
  html`${forecast ? html`<th scope="col" class="num">${t(lang, "forecastPlan")}</th>` : ""}`,
  html`<th scope="col" class="num">${t(lang, "actual")}</th><th scope="col" class="num">${t(lang, "projected")}`,
  html`</th><th scope="col" class="num">${t(lang, "monthlyBudget")}</th><th scope="col">${t(lang, "state")}`,
  html`</th></tr></thead>`,
]}
    <tbody>${data.budget.map(
      (b) =>
        html`${[
          html`<tr><th scope="row">${b.name}</th>`,
          html`${forecast ? html`<td class="num">${m(planned(b.department) ?? "0.00")}</td>` : ""}`,
          html`<td class="num">${m(b.actual)}</td><td class="num">${m(b.projected)}</td><td class="num">`,
          html`${b.monthlyBudget === null ? "—" : m(b.monthlyBudget)}</td><td><span class="state state-`,
          html`${b.state}">${t(lang, b.state)}</span></td></tr>`,
        ]}`,
    )}</tbody>
  </table>
</section>`;
}

/** The departments whose total changed most since the previous month. */
function changesSection(lang: Lang, data: OverviewData): Html {
  const m = (v: string) => formatMoney(lang, v);
  return html`<section aria-labelledby="changes">
  <h2 id="changes">${t(lang, "largestChanges")}</h2>
  ${
    data.changes.length === 0
      ? html`<p>${t(lang, "noData")}</p>`
      : html`<table>
${[
  html`    <thead><tr><th scope="col">${t(lang, "department")}</th><th scope="col" class="num">`,
  html`${t(lang, "previous")}</th><th scope="col" class="num">${t(lang, "current")}</th>`,
  html`<th scope="col" class="num">${t(lang, "change")}</th></tr></thead>`,
]}
    <tbody>${data.changes.map(
      (c) =>
        html`${[
          html`<tr><th scope="row">${c.name}</th><td class="num">${m(c.previous)}</td><td class="num">${m(c.current)}`,
          html`</td><td class="num">${m(c.delta)}</td></tr>`,
        ]}`,
    )}</tbody>
  </table>`
  }
</section>`;
}
