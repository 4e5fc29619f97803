// The page shell: skip link, header with the menu the role may use, language switch, main landmark.
import type { Principal } from "../auth/roles.js";
import { auditRoles, moneyRoles } from "../auth/roles.js";
import { html, type Html } from "./html.js";
import { t, type Lang, type MessageKey } from "./i18n.js";

export interface PageContext {
  lang: Lang;
  principal: Principal | undefined;
  csrfToken: string | undefined;
  /** The request path with its query, for the language switch to come back to. */
  path: string;
}

interface NavItem {
  href: string;
  key: MessageKey;
  visible(p: Principal): boolean;
}

const navItems: NavItem[] = [
  { href: "/", key: "overview", visible: (p) => moneyRoles.includes(p.role) },
  { href: "/periods", key: "periods", visible: (p) => moneyRoles.includes(p.role) },
  { href: "/licences", key: "licences", visible: (p) => moneyRoles.includes(p.role) },
  { href: "/rates", key: "rates", visible: (p) => moneyRoles.includes(p.role) },
  { href: "/costs", key: "costs", visible: (p) => moneyRoles.includes(p.role) },
  { href: "/operations", key: "operations", visible: () => true },
  { href: "/patches", key: "patches", visible: () => true },
  { href: "/compliance", key: "compliance", visible: (p) => p.role !== "department-controller" },
  { href: "/audit-log", key: "auditLog", visible: (p) => auditRoles.includes(p.role) },
];

export function csrfField(ctx: PageContext): Html {
  return html`<input type="hidden" name="_csrf" value="${ctx.csrfToken ?? ""}">`;
}

export function layout(
  ctx: PageContext,
  title: string,
  body: Html,
  options: { scripts?: string[]; current?: string } = {},
): string {
  const { lang, principal } = ctx;
  const other: Lang = lang === "nl" ? "en" : "nl";
  const nav = principal
    ? html`<nav aria-label="${t(lang, "nav")}"><ul>${navItems
        .filter((i) => i.visible(principal))
        .map(
          (i) =>
            html`${[
              html`<li><a href="${i.href}"${options.current === i.href ? html` aria-current="page"` : ""}>`,
              html`${t(lang, i.key)}</a></li>`,
            ]}`,
        )}</ul></nav>`
    : "";
  const user = principal
    ? html`${[
        html`<form class="logout" method="post" action="/logout"><span>${t(lang, "loggedInAs")} <strong>`,
        html`${principal.displayName}</strong> (${principal.role})</span> ${csrfField(ctx)}<button type="submit">`,
        html`${t(lang, "logout")}</button></form>`,
      ]}`
    : "";
  const page = html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} — muniops</title>
<link rel="stylesheet" href="/assets/style.css">
${(options.scripts ?? []).map((s) => html`<script src="${s}" defer></script>`)}
</head>
<body>
<a class="skip" href="#main">${t(lang, "skip")}</a>
<header>
<p class="brand"><a href="/">${t(lang, "appName")}</a></p>
${[
  html`<a class="lang" href="/language/${other}?return=${encodeURIComponent(ctx.path)}" lang="`,
  html`${other}" hreflang="${other}" aria-label="${t(lang, "switchLanguageLabel")}">`,
  html`${t(lang, "switchLanguage")}</a>`,
]}
${user}
${nav}
</header>
<main id="main" tabindex="-1">
<h1>${title}</h1>
${body}
</main>
</body>
</html>`;
  return page.text;
}

/**
 * A wide table that scrolls sideways inside its own box rather than pushing the page wider. The box is
 * focusable and named, so keyboard users can scroll it too (axe: scrollable-region-focusable).
 */
export function scrollRegion(label: { labelledBy: string } | { text: string }, table: Html): Html {
  return "labelledBy" in label
    ? html`<div class="table-scroll" role="region" aria-labelledby="${label.labelledBy}" tabindex="0">${table}</div>`
    : html`<div class="table-scroll" role="region" aria-label="${label.text}" tabindex="0">${table}</div>`;
}

/** What a page's rendering depends on besides its data: the language, the path, and the session (name, CSRF token). */
export function pageVariant(page: PageContext): string {
  const p = page.principal;
  return JSON.stringify([page.lang, page.path, page.csrfToken, p?.username, p?.displayName, p?.role, p?.departments]);
}
