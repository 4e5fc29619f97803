// The two busiest reads, the overview page and GET /api/v1/chargeback, answered before express when the
// request is an ordinary one: a GET without a body or conditional headers, from a signed-in user whose
// session is in the cache and who may see costs, with a well-formed query. Everything else, including
// every refusal and every error, goes to express, which answers it exactly as before. Why: with a
// dozen layers (security headers, body parsers, session, mounts, routers, the role guard) express costs
// more per request than the cached answer itself, and these two routes are what a room of service
// managers polls. Both paths share the code that decides anything (identity, scope, rendering, headers),
// and a test compares their responses byte for byte (test/dashboard/hotRoutes.test.ts).
import { parse as parseQuery } from "node:querystring";
import type { IncomingMessage, ServerResponse } from "node:http";
import { moneyRoles, type Principal } from "../auth/roles.js";
import type { Ledger } from "../data-access/database.js";
import type { Lang } from "../web/i18n.js";
import { overviewBody } from "../web/webRoutes.js";
import type { DashboardService, SerialisedBody } from "../app/dashboardService.js";
import { applySecurityHeaders, applySignedInHeaders, identityFromCache } from "../http/security.js";
import {
  documentContentType,
  pageCachePolicy,
  pageContentType,
  setDocumentHeaders,
  writeBytes,
} from "../http/serialisedResponse.js";
import { chargebackQuery } from "../api/v1Routes.js";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

interface Asker {
  lang: Lang;
  principal: Principal;
  csrfToken: string;
}

/** How one hot route answers: the bytes, and the headers only it sets (after the security headers). */
interface HotAnswer {
  body: SerialisedBody;
  contentType: string;
  setHeaders(res: ServerResponse, body: SerialisedBody): void;
}

type HotRoute = (service: DashboardService, asker: Asker, url: string, query: string) => Promise<HotAnswer | undefined>;

/** The page at `/`: the same bytes the web router's overview route renders. */
function overviewRoute(inventoryFile: string | undefined): HotRoute {
  return async (service, asker, url, query) => {
    if (query !== "") return undefined; // `?lang=` and friends: express's business
    const body = await overviewBody(
      service,
      { lang: asker.lang, principal: asker.principal, csrfToken: asker.csrfToken, path: url },
      inventoryFile,
    );
    return {
      body,
      contentType: pageContentType,
      setHeaders: (res) => {
        res.setHeader("Cache-Control", pageCachePolicy);
      },
    };
  };
}

/** `GET /api/v1/chargeback?period=YYYY-MM` as JSON: the API route's document and headers. */
const chargebackRoute: HotRoute = async (service, asker, _url, query) => {
  const parsed = chargebackQuery.safeParse(parseQuery(query));
  if (!parsed.success || parsed.data.format !== "json") return undefined;
  const body = service.json(await service.chargeback(asker.principal, parsed.data.period));
  return { body, contentType: documentContentType, setHeaders: setDocumentHeaders };
};

/**
 * The server's request handler: the hot routes when they can answer, else `app` (express). Nothing is
 * written until a hot route has its answer, so handing over is always clean; so is a failure, which
 * express meets again and answers as it answers any error (a throw must never escape node's request
 * handler, where it would end the process).
 */
export function withHotRoutes(
  ledger: Ledger,
  service: DashboardService,
  options: { inventoryFile?: string | undefined },
  app: Handler,
): Handler {
  const routes = new Map<string, HotRoute>([
    ["/", overviewRoute(options.inventoryFile)],
    ["/api/v1/chargeback", chargebackRoute],
  ]);

  /**
   * The request's answer if a hot route gives one: undefined for "not mine", without a promise when that is known at
   * once.
   */
  const hotAnswer = (req: IncomingMessage): Promise<HotAnswer | undefined> | undefined => {
    const url = req.url ?? "/";
    const mark = url.indexOf("?");
    const route = req.method === "GET" ? routes.get(mark === -1 ? url : url.slice(0, mark)) : undefined;
    const h = req.headers;
    if (
      !route ||
      h["content-length"] !== undefined ||
      h["transfer-encoding"] !== undefined ||
      h["if-none-match"] !== undefined ||
      h["if-modified-since"] !== undefined
    )
      return undefined;
    const query = mark === -1 ? "" : url.slice(mark + 1);
    const identified = (): Promise<HotAnswer | undefined> | undefined => {
      const identity = identityFromCache(ledger, req.headers.cookie);
      const session = identity?.session;
      // a session to look up, none, or a refusal: express
      if (!identity || !session || !moneyRoles.includes(session.principal.role)) return undefined;
      return route(
        service,
        { lang: identity.lang, principal: session.principal, csrfToken: session.csrfToken },
        url,
        query,
      );
    };
    // the caches must be up to date with the ledger before a session or a document is read from them
    const synced = service.syncWithLedger();
    return synced ? synced.then(identified) : identified();
  };

  const send = (res: ServerResponse, hot: HotAnswer): void => {
    // in express's order: helmet's headers, then the signed-in user's (requestSecurity), then the route's
    applySecurityHeaders(res);
    applySignedInHeaders(res);
    hot.setHeaders(res, hot.body);
    writeBytes(res, hot.body.bytes, hot.contentType);
  };

  return (req, res) => {
    let pending: Promise<HotAnswer | undefined> | undefined;
    try {
      pending = hotAnswer(req);
    } catch {
      pending = undefined;
    }
    if (!pending) {
      app(req, res);
      return;
    }
    pending
      .then((hot) => {
        if (hot) send(res, hot);
        else app(req, res);
      })
      .catch(() => {
        if (!res.headersSent) app(req, res);
        else res.destroy();
      });
  };
}
