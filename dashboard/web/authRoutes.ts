// Login, logout and the language switch. Login is slowed down per address and per username after a few
// failures (a growing wait, never a lockout: loginThrottle.ts), protected against login CSRF by a
// double-submit token, and answers the same for unknown users and wrong passwords (timing included).
// Every refused login is logged with the username and the client's address, never the password.
import { randomBytes } from "node:crypto";
import { Router, type Request, type Response } from "express";
import { z } from "zod";
import type { Ledger } from "../app/ledger.js";
import { LoginThrottle, type ThrottleKey, type ThrottlePolicy } from "../auth/loginThrottle.js";
import { logger } from "../../logger.js";
import { dummyPasswordHash, verifyPassword } from "../auth/password.js";
import type { OidcLogin } from "../auth/oidcClient.js";
import { deleteSession, findUser, startPasswordSession } from "../auth/userStore.js";
import { isLang, t } from "./i18n.js";
import { providerLogoutPage } from "./pages/oidc.js";
import { loginPage } from "./pages/simple.js";
import { AppError } from "../app/appError.js";
import { oidcRouter } from "./oidcRoutes.js";
import { langCookie, loginCsrfCookie, parseCookies, sessionCookie } from "../http/requestContext.js";
import { signedInCachePolicy, tokensEqual } from "../http/security.js";

export interface AuthOptions {
  sessionTtlMs: number;
  loginAttempts: number;
  /** OIDC login beside the local accounts, when configured. */
  oidc?: OidcLogin | undefined;
}

/** Only a local path may be a redirect target: never another origin (open redirect). */
export function safeReturnPath(value: unknown): string {
  return typeof value === "string" && /^\/(?![/\\])[^\s]*$/.test(value) && value.length < 2000 ? value : "/";
}

const loginBody = z.object({
  username: z.string().max(64),
  password: z.string().max(1024),
  _csrf: z.string().max(200).optional(),
  return: z.string().max(2000).optional(),
});

/** The waits for one username and for one address, after `loginAttempts` free failures (see loginThrottle.ts). */
export function loginThrottlePolicies(loginAttempts: number): { user: ThrottlePolicy; address: ThrottlePolicy } {
  return {
    user: { freeFailures: loginAttempts, firstDelayMs: 1000, maxDelayMs: 60_000 },
    address: { freeFailures: loginAttempts, firstDelayMs: 1000, maxDelayMs: 15 * 60_000 },
  };
}

export function authRouter(ledger: Ledger, options: AuthOptions): Router {
  const router = Router();
  const throttle = new LoginThrottle();
  const policies = loginThrottlePolicies(options.loginAttempts);
  const cookieBase = (req: Request) => ({ httpOnly: true, sameSite: "strict" as const, secure: req.secure, path: "/" });

  const showLogin = (req: Request, res: Response, status: number, message?: string) => {
    // Reuse the browser's token: a second login page (another tab, a favicon redirect) must not
    // invalidate the form already shown.
    const existing = parseCookies(req.headers.cookie).get(loginCsrfCookie);
    const token = existing && /^[A-Za-z0-9_-]{32}$/.test(existing) ? existing : randomBytes(24).toString("base64url");
    res.cookie(loginCsrfCookie, token, { ...cookieBase(req), maxAge: 3_600_000 });
    res.set("Cache-Control", signedInCachePolicy); // it carries the login CSRF token
    res
      .status(status)
      .type("html")
      .send(
        loginPage(
          { lang: res.locals.lang, principal: undefined, csrfToken: undefined, path: req.originalUrl },
          token,
          message,
          safeReturnPath(req.query.return ?? (req.body as { return?: string } | undefined)?.return),
          options.oidc?.displayName,
        ),
      );
  };

  router.get("/login", (req, res) => {
    if (res.locals.principal) res.redirect(303, safeReturnPath(req.query.return));
    else showLogin(req, res, 200);
  });

  router.post("/login", async (req, res) => {
    const parsed = loginBody.safeParse(req.body ?? {});
    if (!parsed.success)
      throw new AppError("invalid-input", "username and password are required", 400, {
        "body.username": ["required"],
        "body.password": ["required"],
      });
    const { username, password } = parsed.data;
    if (!tokensEqual(parsed.data._csrf, parseCookies(req.headers.cookie).get(loginCsrfCookie)))
      throw new AppError("csrf", "missing or wrong login CSRF token: reload the login page", 403);
    // req.ip is the address --trust-proxy lets through: the socket's, or the one the trusted proxies saw
    const address = req.ip ?? "?";
    const userKey: ThrottleKey = { key: `user:${username.toLowerCase()}`, policy: policies.user };
    const addressKey: ThrottleKey = { key: `ip:${address}`, policy: policies.address };
    const wait = throttle.retryAfter([userKey, addressKey]);
    if (wait > 0) {
      const message = "login refused: too many failed attempts, must wait";
      logger().warn({ username, address, retryAfterSeconds: wait }, message);
      res.set("Retry-After", String(wait));
      showLogin(req, res, 429, t(res.locals.lang, "tooManyAttempts", { s: wait }));
      return;
    }
    throttle.attempt([userKey, addressKey]);
    const user = await findUser(ledger, username);
    const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
    if (!user || !ok || user.disabled) {
      const reason = !user ? "unknown user" : !ok ? "wrong password" : "account disabled";
      logger().warn({ username, address, reason }, "login failed");
      showLogin(req, res, 401, t(res.locals.lang, "loginFailed"));
      return;
    }
    throttle.succeeded([userKey], [addressKey]);
    const session = await startPasswordSession(ledger, user.username, options.sessionTtlMs);
    res.clearCookie(loginCsrfCookie, { path: "/" });
    res.cookie(sessionCookie, session.token, { ...cookieBase(req), maxAge: options.sessionTtlMs });
    res.redirect(303, safeReturnPath(parsed.data.return));
  });

  if (options.oidc)
    router.use(oidcRouter(ledger, options.oidc, { sessionTtlMs: options.sessionTtlMs, cookieBase, safeReturnPath }));

  router.post("/logout", logoutHandler(ledger, options.oidc));

  // A preference cookie, not server state: a GET link is fine and keeps the switch one click away.
  router.get("/language/:lang", switchLanguage);

  return router;
}

/** Ends the session; someone who signed in at the OIDC provider gets the page that signs them out there too. */
function logoutHandler(ledger: Ledger, oidc: OidcLogin | undefined): (req: Request, res: Response) => Promise<void> {
  return async (req, res) => {
    if (res.locals.sessionToken) await deleteSession(ledger, res.locals.sessionToken);
    res.clearCookie(sessionCookie, { path: "/" });
    // Someone who signed in at the provider is signed out there too (RP-initiated logout), by a page
    // rather than a redirect: CSP form-action 'self' would block this form's redirect to another origin.
    const principal = res.locals.principal;
    const providerLogout =
      oidc && principal && (await findUser(ledger, principal.username))?.passwordHash.startsWith("oidc$")
        ? oidc.logoutUrl()
        : undefined;
    if (oidc && providerLogout) {
      res
        .type("html")
        .send(
          providerLogoutPage(
            { lang: res.locals.lang, principal: undefined, csrfToken: undefined, path: "/login" },
            oidc.displayName,
            providerLogout,
          ),
        );
      return;
    }
    res.redirect(303, "/login");
  };
}

/** Sets the language cookie and goes back where the switch was clicked. */
function switchLanguage(req: Request<{ lang: string }>, res: Response): void {
  const lang = req.params.lang;
  if (!isLang(lang))
    throw new AppError("invalid-input", "language must be nl or en", 400, { "path.lang": ["nl or en"] });
  res.cookie(langCookie, lang, {
    httpOnly: true,
    sameSite: "lax",
    secure: req.secure,
    path: "/",
    maxAge: 365 * 86_400_000,
  });
  res.redirect(303, safeReturnPath(req.query.return));
}
