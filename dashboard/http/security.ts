// Security middleware: helmet headers with a CSP that allows no inline script, the session lookup,
// and CSRF on every state-changing request (the session's synchronizer token, sent as the
// X-CSRF-Token header by API clients or the `_csrf` field by forms).
import { timingSafeEqual } from "node:crypto";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { IncomingMessage, ServerResponse } from "node:http";
import { Socket } from "node:net";
import helmet, { type HelmetOptions } from "helmet";
import type { Ledger } from "../app/ledger.js";
import { cachedLiveSession, findLiveSession, type Session } from "../auth/userStore.js";
import { isLang, type Lang } from "./language.js";
import { AppError } from "../app/appError.js";
import { langCookie, parseCookies, sessionCookie } from "./requestContext.js";

/** Helmet's options: a CSP that allows no inline script, HSTS for a year, same-origin referrers. */
export const helmetOptions: Readonly<HelmetOptions> = {
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
};

type HeaderValue = number | string | readonly string[];
/** One thing helmet does to a response: set a header, or remove it (`value` undefined). */
type HeaderStep = readonly [name: string, value: HeaderValue | undefined];

/**
 * What helmet does to a response with these options, recorded from one run on a blank response. Helmet
 * runs a dozen sub-middlewares per request, but with constant options (no nonce, no function directive)
 * each writes the same header every time: replaying the record gives the same headers, byte for byte,
 * for a fraction of the cost.
 */
function recordHelmet(options: Readonly<HelmetOptions>): readonly HeaderStep[] {
  const req = new IncomingMessage(new Socket());
  const res = new ServerResponse(req);
  const steps: HeaderStep[] = [];
  res.setHeader = (name, value) => {
    steps.push([name, value]);
    return res;
  };
  res.removeHeader = (name) => {
    steps.push([name, undefined]);
  };
  const outcome: { finished: boolean; error?: unknown } = { finished: false };
  helmet(options)(req, res, (error?: unknown) => {
    outcome.finished = true;
    outcome.error = error;
  });
  // helmet answers synchronously for constant options; anything else would need it on every request
  if (!outcome.finished || outcome.error !== undefined)
    throw new Error("helmet's options need a run per request: they cannot be recorded once", { cause: outcome.error });
  return steps;
}

let recordedHelmet: readonly HeaderStep[] | undefined;

/** What helmet does to every response with helmetOptions, recorded on first use. */
function helmetSteps(): readonly HeaderStep[] {
  recordedHelmet ??= recordHelmet(helmetOptions);
  return recordedHelmet;
}

/** Set helmet's headers (helmetOptions) on `res`, replayed from the one recorded run. */
export function applySecurityHeaders(res: ServerResponse): void {
  for (const [name, value] of helmetSteps()) {
    if (value === undefined) res.removeHeader(name);
    else res.setHeader(name, value);
  }
}

/** Helmet's headers (helmetOptions) on every response, replayed from one recorded run. */
export function securityHeaders(): RequestHandler {
  helmetSteps();
  return (_req: Request, res: Response, next: NextFunction) => {
    applySecurityHeaders(res);
    next();
  };
}

/** What a response to a signed-in user may be kept as: never, by any cache (costs, names, CSRF tokens). */
export const signedInCachePolicy = "no-store";

/** The headers every answer to a signed-in user starts with (also set by the hot path, hotRoutes.ts). */
export function applySignedInHeaders(res: ServerResponse): void {
  res.setHeader("Cache-Control", signedInCachePolicy);
}

/** Reads and parses the body when this request may send one (requestBodyPolicy.ts); a promise only if it reads. */
export type BodyReader = (req: Request, res: Response) => Promise<void> | undefined;

/**
 * The per-request steps as one middleware (one router hop, not four): bring the caches up to date with
 * the ledger first (a session revoked by another process must not be answered from the cache), then find
 * who is asking, then read the body (only now: who may send one, and how much, depends on who is asking),
 * then refuse a state-changing request without the session's CSRF token. Each step may answer
 * synchronously (SQLite's change check, a cached session, no body): then the request takes no promise.
 */
export function requestSecurity(
  ledger: Ledger,
  syncWithLedger: () => Promise<void> | undefined,
  options: { csrfExempt: readonly string[]; readBody: BodyReader },
): RequestHandler {
  const checkCsrf = csrfProtection(options.csrfExempt);
  const readAndCheck = (req: Request, res: Response, next: NextFunction): Promise<void> | undefined => {
    if (res.locals.principal) applySignedInHeaders(res);
    // A wrong token in the header is refused before the body is read; a form's token is in its body.
    if (req.headers["x-csrf-token"] !== undefined) checkCsrf(req, res);
    const reading = options.readBody(req, res);
    if (reading)
      return reading.then(() => {
        checkCsrf(req, res);
        next();
      });
    checkCsrf(req, res);
    next();
    return undefined;
  };
  // (no closure made per request on the synchronous path: this runs before every request)
  const identifyAndCheck = (req: Request, res: Response, next: NextFunction): Promise<void> | undefined => {
    const lookup = loadSession(ledger, req, res);
    if (lookup) return lookup.then(() => readAndCheck(req, res, next));
    return readAndCheck(req, res, next);
  };
  return (req: Request, res: Response, next: NextFunction) => {
    const synced = syncWithLedger();
    // express 5 passes a returned promise's rejection to the error middleware
    return synced ? synced.then(() => identifyAndCheck(req, res, next)) : identifyAndCheck(req, res, next);
  };
}

/** Who is asking, read from the request's cookies: the language, and the live session if there is one. */
export interface RequestIdentity {
  lang: Lang;
  token?: string;
  session?: Session;
}

/**
 * Who is asking, when the answer needs no ledger query: no session cookie, or a session in the cache.
 * Undefined when the session cache missed (`identityFromLedger` then looks it up).
 */
export function identityFromCache(
  ledger: Ledger,
  cookieHeader: string | undefined,
  now = Date.now(),
): RequestIdentity | undefined {
  const cookies = parseCookies(cookieHeader);
  const lang = cookies.get(langCookie);
  const identity: RequestIdentity = { lang: isLang(lang) ? lang : "nl" };
  const token = cookies.get(sessionCookie);
  if (!token || token.length > 128) return identity;
  const session = cachedLiveSession(ledger, token, now);
  if (!session) return undefined;
  identity.token = token;
  identity.session = session;
  return identity;
}

async function identityFromLedger(
  ledger: Ledger,
  cookieHeader: string | undefined,
  now: number,
): Promise<RequestIdentity> {
  const cookies = parseCookies(cookieHeader);
  const lang = cookies.get(langCookie);
  const token = cookies.get(sessionCookie) ?? "";
  const session = await findLiveSession(ledger, token, now);
  return { lang: isLang(lang) ? lang : "nl", token, ...(session ? { session } : {}) };
}

/** Who is asking, onto `res.locals`; a promise only if the session cache missed. */
function loadSession(ledger: Ledger, req: Request, res: Response): Promise<void> | undefined {
  const now = Date.now();
  const cached = identityFromCache(ledger, req.headers.cookie, now);
  if (cached) {
    identify(res, cached);
    return undefined;
  }
  return identityFromLedger(ledger, req.headers.cookie, now).then((identity) => {
    identify(res, identity);
  });
}

function identify(res: Response, identity: RequestIdentity): void {
  res.locals.lang = identity.lang;
  if (!identity.session || identity.token === undefined) return;
  res.locals.principal = identity.session.principal;
  res.locals.csrfToken = identity.session.csrfToken;
  res.locals.sessionToken = identity.token;
}

export function tokensEqual(a: string | undefined, b: string | undefined): boolean {
  if (typeof a !== "string" || typeof b !== "string" || a.length === 0) return false;
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

/** Refuse (throw) a state-changing request whose CSRF token does not match its session's. */
function csrfProtection(exempt: readonly string[]): (req: Request, res: Response) => void {
  return (req: Request, res: Response) => {
    if (safeMethods.has(req.method) || exempt.includes(req.path)) return;
    const body = req.body as Record<string, unknown> | undefined;
    const sent = req.get("x-csrf-token") ?? (typeof body?._csrf === "string" ? body._csrf : undefined);
    // Without a session there is nothing to protect and the route answers 401 itself.
    if (res.locals.principal && !tokensEqual(sent, res.locals.csrfToken))
      throw new AppError("csrf", "missing or wrong CSRF token (send the X-CSRF-Token header from GET /api/v1/me)", 403);
  };
}
