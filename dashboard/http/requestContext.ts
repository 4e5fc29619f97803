// What the middleware learns about a request (who, in which language, with which CSRF token), typed on
// `res.locals` so every handler reads it the same way.
import type { Principal } from "../auth/roles.js";
import type { Lang } from "./language.js";

declare module "express-serve-static-core" {
  interface Locals {
    principal?: Principal;
    sessionToken?: string;
    csrfToken?: string;
    lang: Lang;
  }
}

/** Parse a Cookie header; malformed pairs are ignored (a browser never sends them). */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (!header) return cookies;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      if (!cookies.has(name)) cookies.set(name, decodeURIComponent(value));
    } catch {
      // not percent-encoded validly: ignore the cookie
    }
  }
  return cookies;
}

export const sessionCookie = "muniops_session";
export const loginCsrfCookie = "muniops_login_csrf";
export const langCookie = "muniops_lang";
