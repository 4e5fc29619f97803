// Security middleware: helmet headers with a CSP that allows no inline script, the session lookup,
// and CSRF on every state-changing request (the session's synchronizer token, sent as the
// X-CSRF-Token header by API clients or the `_csrf` field by forms).
import { timingSafeEqual } from "node:crypto";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import helmet from "helmet";
import type { Ledger } from "../data-access/database.js";
import { findLiveSession } from "../auth/userStore.js";
import { isLang } from "../web/i18n.js";
import { AppError } from "./appError.js";
import { langCookie, parseCookies, sessionCookie } from "./requestContext.js";

export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
    },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
    referrerPolicy: { policy: "same-origin" },
  });
}

/** Who is asking: the session from the cookie (if live), and the language. */
export function loadSession(ledger: Ledger): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const cookies = parseCookies(req.headers.cookie);
    const lang = cookies.get(langCookie);
    res.locals.lang = isLang(lang) ? lang : "nl";
    const token = cookies.get(sessionCookie);
    if (token && token.length <= 128) {
      const session = await findLiveSession(ledger, token);
      if (session) {
        res.locals.principal = session.principal;
        res.locals.csrfToken = session.csrfToken;
        res.locals.sessionToken = token;
      }
    }
    next();
  };
}

export function tokensEqual(a: string | undefined, b: string | undefined): boolean {
  if (typeof a !== "string" || typeof b !== "string" || a.length === 0) return false;
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

/** Refuse a state-changing request whose CSRF token does not match its session's. */
export function csrfProtection(exempt: readonly string[]): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (safeMethods.has(req.method) || exempt.includes(req.path)) {
      next();
      return;
    }
    const body = req.body as Record<string, unknown> | undefined;
    const sent = req.get("x-csrf-token") ?? (typeof body?._csrf === "string" ? body._csrf : undefined);
    // Without a session there is nothing to protect and the route answers 401 itself.
    if (res.locals.principal && !tokensEqual(sent, res.locals.csrfToken)) throw new AppError("csrf", "missing or wrong CSRF token (send the X-CSRF-Token header from GET /api/v1/me)", 403);
    next();
  };
}
