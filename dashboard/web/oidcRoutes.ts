// The OIDC login routes, mounted only when OIDC is configured:
//   GET /login/oidc           → a new flow (state, nonce, PKCE verifier) in a short-lived cookie, then the provider;
//   GET /login/oidc/callback  → the flow checked and used up, the code redeemed, the ID token validated,
//                               the claims mapped, a session started like a local login's.
// The start is a link, not a form: CSP form-action 'self' would block a form's redirect to the provider,
// and starting a login is harmless (the provider signs in whoever is at the keyboard). Login CSRF (being
// signed in as someone else) is what state bound to the browser's cookie prevents at the callback.
import { Router, type CookieOptions, type Request, type Response } from "express";
import { z } from "zod";
import { logger } from "../../logger.js";
import { signInFederated, type SignInRefusal } from "../auth/oidcAccounts.js";
import { OidcLoginError, type LoginFlow, type OidcLogin } from "../auth/oidcClient.js";
import type { Ledger } from "../app/ledger.js";
import type { MessageKey } from "./i18n.js";
import type { PageContext } from "./layout.js";
import { signedInPage, signInRefusedPage } from "./pages/oidc.js";
import { parseCookies, sessionCookie } from "../http/requestContext.js";

export const oidcFlowCookie = "muniops_oidc_flow";
const flowPath = "/login/oidc";
const flowTtlMs = 10 * 60_000;

const flowSchema = z.object({
  state: z.string().min(1).max(200),
  nonce: z.string().min(1).max(200),
  codeVerifier: z.string().min(43).max(128),
  returnTo: z.string().max(2000),
});

function readFlow(req: Request): LoginFlow | undefined {
  const raw = parseCookies(req.headers.cookie).get(oidcFlowCookie);
  if (!raw || raw.length > 4096) return undefined;
  try {
    const parsed = flowSchema.safeParse(JSON.parse(Buffer.from(raw, "base64url").toString("utf8")));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

const refusalMessages: Record<SignInRefusal, MessageKey> = {
  "no-role": "oidcNoRole",
  "no-department": "oidcNoDepartment",
  "group-overage": "oidcGroupOverage",
  "no-subject": "oidcFailed",
  disabled: "oidcDisabled",
  "local-account": "oidcNameTaken",
  "other-subject": "oidcNameTaken",
};

export interface OidcRouteOptions {
  sessionTtlMs: number;
  /** The session cookie's attributes, shared with the local login so both sessions are alike. */
  cookieBase(req: Request): CookieOptions;
  /** Only a local path may be where the browser returns to. */
  safeReturnPath(value: unknown): string;
}

export function oidcRouter(ledger: Ledger, oidc: OidcLogin, options: OidcRouteOptions): Router {
  const router = Router();
  const context = (res: Response): PageContext => ({
    lang: res.locals.lang,
    principal: undefined,
    csrfToken: undefined,
    path: "/login",
  });
  const refuse = (res: Response, status: number, reason: MessageKey, vars: Record<string, string> = {}) => {
    res
      .status(status)
      .type("html")
      .send(signInRefusedPage(context(res), reason, { provider: oidc.displayName, ...vars }));
  };

  router.get(flowPath, async (req, res) => {
    const returnTo = options.safeReturnPath(req.query.return);
    if (res.locals.principal) {
      res.redirect(303, returnTo);
      return;
    }
    const { url, flow } = await oidc.begin(returnTo);
    // Lax, not Strict: the callback arrives as a cross-site navigation from the provider.
    res.cookie(oidcFlowCookie, Buffer.from(JSON.stringify(flow)).toString("base64url"), {
      httpOnly: true,
      sameSite: "lax",
      secure: req.secure,
      path: flowPath,
      maxAge: flowTtlMs,
    });
    res.set("Cache-Control", "no-store");
    res.redirect(303, url.href);
  });

  router.get(`${flowPath}/callback`, async (req, res) => {
    res.set("Cache-Control", "no-store");
    const flow = readFlow(req);
    // One use: whatever happens next, this flow is spent.
    res.clearCookie(oidcFlowCookie, { path: flowPath });
    if (!flow) {
      refuse(res, 400, "oidcExpired");
      return;
    }
    const query = new URL(req.originalUrl, "http://callback").searchParams;
    let login;
    try {
      login = await oidc.complete(query, flow);
    } catch (error) {
      if (!(error instanceof OidcLoginError)) throw error;
      logger().warn({ reason: error.message, address: req.ip }, "OIDC login failed");
      refuse(res, error.status, "oidcFailed");
      return;
    }
    const result = await signInFederated(ledger, login, oidc.config.mapping, options.sessionTtlMs);
    if (!result.ok) {
      const refusal = {
        subject: login.subject,
        username: result.username,
        reason: result.reason,
        detail: result.detail,
      };
      logger().warn({ ...refusal, address: req.ip }, "OIDC login refused");
      refuse(res, 403, refusalMessages[result.reason], { name: result.username ?? login.subject });
      return;
    }
    res.cookie(sessionCookie, result.token, { ...options.cookieBase(req), maxAge: options.sessionTtlMs });
    res
      .status(200)
      .type("html")
      .send(signedInPage(context(res), flow.returnTo));
  });

  return router;
}
