// Answer with bytes serialised once (DashboardService.json and .page) instead of encoding a string on
// every request.
import type { Request, Response } from "express";
import type { SerialisedBody } from "./dashboardService.js";

/** An API document, or 304 Not Modified when the client's If-None-Match names it (express checks `req.fresh` in `send`). */
export function sendSerialised(res: Response, body: SerialisedBody, contentType: string): void {
  // Costs may be kept by the user's own client, never by a shared cache, and are revalidated on each use.
  // (setHeader: the values are final, express's `set` would re-parse the content type on every request.)
  res.setHeader("Content-Type", contentType);
  res.setHeader("ETag", body.etag);
  res.setHeader("Cache-Control", "private, no-cache");
  res.send(body.bytes);
}

/** A rendered page; pages are `no-store` (server.ts), so they carry no ETag. */
export function sendPage(res: Response, body: SerialisedBody): void {
  res.setHeader("Content-Type", "text/html; charset=utf-8");
  res.send(body.bytes);
}

/** What a page's rendering depends on besides its data: the language, the path, and the session (name, CSRF token). */
export function pageVariant(req: Request, res: Response): string {
  const p = res.locals.principal;
  return JSON.stringify([res.locals.lang, req.originalUrl, res.locals.csrfToken, p?.username, p?.displayName, p?.role, p?.departments]);
}
