// The one error middleware: AppError and the domain's UsageError become their status with one clear
// message (JSON for the API, a page for the browser); anything else is a 500 that is logged, and the
// client sees no detail.
import type { NextFunction, Request, Response } from "express";
import { ConflictError, OperationFailedError, UsageError } from "../../errors.js";
import { logger } from "../../logger.js";
import { errorPage } from "../web/pages/simple.js";
import { AppError, type FieldErrors } from "../app/appError.js";

interface HttpishError {
  status?: unknown;
  type?: unknown;
  expose?: unknown;
}

function classify(error: unknown): { status: number; code: string; message: string; fields?: FieldErrors } {
  if (error instanceof AppError)
    return {
      status: error.status,
      code: error.code,
      message: error.message,
      ...(error.fields ? { fields: error.fields } : {}),
    };
  // By class, never by message: a conflict with the ledger's state (a closed month) is 409, any other
  // user mistake 400.
  if (error instanceof ConflictError) return { status: 409, code: "conflict", message: error.message };
  if (error instanceof UsageError) return { status: 400, code: "invalid-input", message: error.message };
  // body-parser errors (malformed JSON, too large, bad charset) carry a 4xx status and are safe to show.
  const e = error as HttpishError;
  if (typeof e === "object" && typeof e.status === "number" && e.status >= 400 && e.status < 500) {
    return {
      status: e.status,
      code: typeof e.type === "string" ? e.type : "bad-request",
      message: e.expose === true && error instanceof Error ? error.message : "bad request",
    };
  }
  if (error instanceof OperationFailedError) return { status: 409, code: "conflict", message: error.message };
  return { status: 500, code: "internal", message: "internal error" };
}

export function errorMiddleware(error: unknown, req: Request, res: Response, _next: NextFunction): void {
  const { status, code, message, fields } = classify(error);
  if (status >= 500) logger().error({ err: error, method: req.method, path: req.path }, "request failed");
  if (res.headersSent) {
    res.end();
    return;
  }
  const wantsJson = req.path.startsWith("/api/") || !req.accepts("html");
  if (status === 401 && !wantsJson) {
    res.redirect(303, `/login?return=${encodeURIComponent(req.originalUrl.startsWith("/") ? req.originalUrl : "/")}`);
    return;
  }
  if (wantsJson) {
    res.status(status).json({ error: code, message, ...(fields ? { fields } : {}) });
    return;
  }
  const detail = fields
    ? `${message}: ${Object.entries(fields)
        .map(([f, m]) => `${f}: ${m.join("; ")}`)
        .join(" · ")}`
    : message;
  res
    .status(status)
    .type("html")
    .send(
      errorPage(
        { lang: res.locals.lang, principal: res.locals.principal, csrfToken: res.locals.csrfToken, path: "/" },
        status,
        detail,
      ),
    );
}
