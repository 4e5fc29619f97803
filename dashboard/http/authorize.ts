// Route guards: who is logged in, which role, which department. Every route states its roles; the
// department check is applied to every department id a request names, in the path, query or body.
import type { NextFunction, Request, Response } from "express";
import { canSeeDepartment, type Principal, type Role } from "../auth/roles.js";
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

export function assertDepartment(principal: Principal, id: string): void {
  if (!canSeeDepartment(principal, id)) throw forbidden(`department "${id}"`);
}
