// The pages of the OIDC login: the step after the callback, a refusal, and the logout that continues at
// the provider. The onward steps are a meta refresh rather than a redirect: after the provider's
// cross-site redirect a browser would withhold the SameSite=Strict session cookie on a redirect chain,
// but sends it on a navigation this page starts; and a refresh needs no (inline) script.
import { html } from "../html.js";
import { t, type MessageKey } from "../i18n.js";
import { layout, type PageContext } from "../layout.js";

function continueTo(ctx: PageContext, title: string, target: string, text: string): string {
  return layout(
    ctx,
    title,
    html`${[
      html`<meta http-equiv="refresh" content="0;url=${target}"><p>${text}</p><p><a href="${target}">`,
      html`${t(ctx.lang, "continue")}</a></p>`,
    ]}`,
  );
}

export function signedInPage(ctx: PageContext, returnTo: string): string {
  return continueTo(ctx, t(ctx.lang, "signedIn"), returnTo, t(ctx.lang, "signedIn"));
}

export function providerLogoutPage(ctx: PageContext, provider: string, logoutUrl: string): string {
  return continueTo(ctx, t(ctx.lang, "loggedOut"), logoutUrl, t(ctx.lang, "loggingOutAt", { provider }));
}

export function signInRefusedPage(
  ctx: PageContext,
  reason: MessageKey,
  vars: Record<string, string>,
  detail?: string,
): string {
  const body = html`${[
    html`<p role="alert">${t(ctx.lang, reason, vars)}</p>${detail ? html`<p><small>${detail}</small></p>` : ""}`,
    html`<p><a href="/login">${t(ctx.lang, "backToLogin")}</a></p>`,
  ]}`;
  return layout(ctx, t(ctx.lang, "signInRefused"), body);
}
