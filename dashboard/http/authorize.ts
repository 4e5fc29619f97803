// Route guards: who is logged in and with which role. Every route states its roles; the department check
// (app/departmentAccess.ts) is applied to every department id a request names.
import type { NextFunction, Request, Response } from "express";
import type { Principal, Role } from "../auth/roles.js";
import { forbidden, unauthenticated } from "../app/appError.js";

export function principalOf(res: Response): Principal {
  const principal = res.locals.principal;
  if (!principal) throw unauthenticated();
  return principal;
}

export function requireRoles(allowed: readonly Role[], what: string) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    const principal = principalOf(res);
    if (!allowed.includes(principal.role)) throw forbidden(what);
    next();
  };
}
