// Small pages: login and errors.
import { html } from "../html.js";
import { t } from "../i18n.js";
import { layout, type PageContext } from "../layout.js";

/** `sso`: the OIDC provider's name when OIDC login is configured (a link, not a form: see oidcRoutes.ts). */
export function loginPage(ctx: PageContext, loginCsrf: string, message?: string, returnTo = "/", sso?: string): string {
  const { lang } = ctx;
  const body = html`
${message ? html`<p class="error" role="alert">${message}</p>` : ""}
${
  sso
    ? html`${[
        html`<p><a class="sso" href="/login/oidc?return=${encodeURIComponent(returnTo)}">`,
        html`${t(lang, "signInWith", { provider: sso })}</a></p>`,
      ]}`
    : ""
}
<form class="stack" method="post" action="/login">
  <input type="hidden" name="_csrf" value="${loginCsrf}">
  <input type="hidden" name="return" value="${returnTo}">
${[
  html`  <div><label for="username">${t(lang, "username")}</label>`,
  html`<input id="username" name="username" autocomplete="username" required maxlength="64"></div>`,
]}
${[
  html`  <div><label for="password">${t(lang, "password")}</label>`,
  html`<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024">`,
  html`</div>`,
]}
  <div><button type="submit">${t(lang, "login")}</button></div>
</form>`;
  return layout(ctx, t(lang, "login"), body);
}

export function errorPage(ctx: PageContext, status: number, message: string): string {
  const { lang } = ctx;
  const title =
    status === 403
      ? t(lang, "forbidden")
      : status === 404
        ? t(lang, "notFound")
        : status < 500
          ? t(lang, "badRequest")
          : t(lang, "serverError");
  return layout(
    ctx,
    `${status}`,
    html`${[
      html`<p role="alert">${title}</p>${status < 500 ? html`<p>${message}</p>` : ""}<p><a href="/">`,
      html`${t(lang, "overview")}</a></p>`,
    ]}`,
  );
}
