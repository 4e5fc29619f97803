// Answer with bytes serialised once (DashboardService.json and .page) instead of encoding a string on
// every request, and write them straight to node's response: express's `res.send` would re-examine the
// content type, look up the ETag setting and re-set Content-Length through `res.set` on each request,
// for bytes whose headers are all known.
import type { ServerResponse } from "node:http";
import type { Response } from "express";
import type { SerialisedBody } from "../app/dashboardService.js";

/** An API document, or 304 Not Modified when the client's If-None-Match names it. */
export function sendSerialised(res: Response, body: SerialisedBody, contentType: string): void {
  setDocumentHeaders(res, body);
  // express's freshness test (method, status, If-None-Match against the ETag just set, Cache-Control: no-cache)
  if (res.req.fresh) {
    res.statusCode = 304;
    res.end();
    return;
  }
  writeBytes(res, body.bytes, contentType);
}

/** A cached API document's validator and cache policy (also set by the hot path, hotRoutes.ts). */
export function setDocumentHeaders(res: ServerResponse, body: SerialisedBody): void {
  // Costs are never stored by any cache, the user's own included (issue 15); the ETag still spares an API
  // client that revalidates the document's bytes.
  res.setHeader("ETag", body.etag);
  res.setHeader("Cache-Control", pageCachePolicy);
}

/** A rendered page; pages are `no-store` (server.ts), so they carry no ETag. */
export function sendPage(res: Response, body: SerialisedBody): void {
  writeBytes(res, body.bytes, pageContentType);
}

export const pageContentType = "text/html; charset=utf-8";
export const documentContentType = "application/json; charset=utf-8";
/** Pages carry personal and financial data: never kept, by any cache. */
export const pageCachePolicy = "no-store";

/** The bytes with their type and length; a HEAD request gets the headers only, as from `res.send`. */
export function writeBytes(res: ServerResponse, bytes: Buffer, contentType: string): void {
  res.setHeader("Content-Type", contentType);
  res.setHeader("Content-Length", bytes.length);
  if (res.req.method === "HEAD") res.end();
  else res.end(bytes);
}
