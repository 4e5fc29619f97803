// Whose request bodies are read, and how much of them. Reading and parsing cost the server work that
// anyone could order by sending bytes, so a body is read only once the request is known to need it:
// a signed-in user's request, or the one public form (the login). Any other body stays unread and
// the route answers 401 without looking at it. The audit-report upload, the one large body, gets its
// limit only on its exact path (letter case and trailing slash included) and only for a signed-in user.
import { parse as parseForm } from "node:querystring";
import type { Request, Response } from "express";
import { AppError } from "../app/appError.js";
import { readRequestBody, type BodyLimits } from "./requestBody.js";
import { parseStrictJson } from "./strictJson.js";

interface BodyRule extends BodyLimits {
  /** Most fields of a urlencoded form. */
  maxFields: number;
}

export interface BodyPolicy {
  /** POST paths anyone may send a body to (the login form), matched exactly. */
  publicPosts: readonly string[];
  /** POST paths with the large limit, matched exactly, for signed-in users only. */
  largePosts: readonly string[];
  largeLimit: number;
}

/** JSON documents nest a few levels (an audit report five); anything far deeper is refused unread. */
export const maxJsonDepth = 32;
const maxRatio = 100;
const publicRule: BodyRule = { maxBytes: 16 * 1024, maxRatio, maxFields: 10 };
const signedInRule: BodyRule = { maxBytes: 64 * 1024, maxRatio, maxFields: 200 };

/** An unread body up to this size is drained rather than cut off (closing on unread bytes can reset the answer). */
const drainableBytes = 64 * 1024;

type BodyKind = "json" | "form";

/** The kind of body by its Content-Type; other types are left unread, as express's parsers would. */
function kindOf(req: Request): BodyKind | undefined {
  const type = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (type === "application/json" || (type.startsWith("application/") && type.endsWith("+json"))) return "json";
  if (type === "application/x-www-form-urlencoded") return "form";
  return undefined;
}

/** JSON and forms are UTF-8 here (as browsers send them); another declared charset is refused. */
function decodeUtf8(req: Request, bytes: Buffer): string {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(req.headers["content-type"] ?? "")?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== "utf-8" && charset !== "utf8")
    throw new AppError("unsupported-charset", `request body charset must be utf-8, got "${charset}"`, 415);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new AppError("invalid-input", "the request body is not valid UTF-8", 400);
  }
}

function parseJsonBody(text: string): unknown {
  // Like express.json({ strict: true }): a body is an object or an array, never a bare value.
  const first = /\S/.exec(text)?.[0];
  if (first !== "{" && first !== "[") {
    throw new AppError("invalid-json", "the JSON body must be an object or an array", 400, {
      body: ["an object or an array"],
    });
  }
  return parseStrictJson(text, { maxDepth: maxJsonDepth, location: "body" });
}

function parseFormBody(text: string, rule: BodyRule): Record<string, unknown> {
  const fields = text === "" ? 0 : text.split("&").length;
  if (fields > rule.maxFields) {
    throw new AppError("too-many-fields", `a form of more than ${rule.maxFields} fields`, 413);
  }
  return parseForm(text, "&", "=", { maxKeys: rule.maxFields });
}

function hasBody(req: Request): boolean {
  const length = req.headers["content-length"];
  return req.headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0");
}

/**
 * The body reader for requestSecurity: reads and parses `req.body` when this request may send one, and
 * returns a promise only when it reads. Call it after the session lookup (res.locals.principal set).
 */
export function requestBodyReader(policy: BodyPolicy): (req: Request, res: Response) => Promise<void> | undefined {
  const largeRule: BodyRule = { maxBytes: policy.largeLimit, maxRatio, maxFields: 10 };
  const ruleFor = (req: Request, res: Response): BodyRule | undefined => {
    const post = req.method === "POST";
    if (res.locals.principal) return post && policy.largePosts.includes(req.path) ? largeRule : signedInRule;
    return post && policy.publicPosts.includes(req.path) ? publicRule : undefined;
  };
  return (req, res) => {
    if (!hasBody(req)) return undefined;
    const rule = ruleFor(req, res);
    const kind = kindOf(req);
    if (!rule || !kind) {
      // Unread. Node discards a small rest for the connection's next request; a large or open-ended one is
      // not worth receiving: the connection closes after the answer.
      if (!rule && !(Number(req.headers["content-length"]) <= drainableBytes)) res.setHeader("Connection", "close");
      return undefined;
    }
    return readRequestBody(req, rule).then(
      (bytes) => {
        const text = decodeUtf8(req, bytes);
        req.body = kind === "json" ? parseJsonBody(text) : parseFormBody(text, rule);
      },
      (error: unknown) => {
        res.setHeader("Connection", "close");
        throw error;
      },
    );
  };
}
