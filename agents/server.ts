// The agent's HTTP(S) endpoint: /metrics, /healthz and a landing page at /. Plain node:http, no
// framework: it serves one scraper a few times a minute and must stay small and fast.
//
// TLS (node:https) and basic auth (bcryptjs, node:crypto) are imported only when the web config asks for
// them: most agents serve plain HTTP on a management network, and loading OpenSSL and bcrypt's tables
// for nothing costs ~1.5 MB of resident memory on every server.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import type * as NodeCrypto from "node:crypto";
import type * as BcryptModule from "bcryptjs";
import { UsageError } from "../errors.js";
import { logger } from "../logger.js";
import {
  formatOpenMetrics,
  formatText,
  openMetricsContentType,
  textContentType,
  wantsOpenMetrics,
} from "./exposition.js";
import type { Scraper } from "./scrape.js";
import { afterScrape } from "./heapTrim.js";
import type { WebConfig } from "./webConfig.js";

const gzipAsync = promisify(gzip);

export interface ListenAddress {
  host: string | undefined;
  port: number;
}

/** Parse `:9110`, `127.0.0.1:9110` or `[::1]:9110` (node_exporter's form); an empty host means every interface. */
export function parseListenAddress(text: string): ListenAddress {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text.trim());
  const port = Number(match?.[3]);
  if (!match || port > 65535)
    throw new UsageError(
      `--web.listen-address: expected [host]:port such as :9110 or 127.0.0.1:9110, got ${JSON.stringify(text)}`,
    );
  const host = match[1] ?? match[2];
  return { host: host === "" ? undefined : host, port };
}

export interface AgentServer {
  server: Server;
  port: number;
  url: string;
  close(): Promise<void>;
}

const landingPage = (version: string): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>muniops agent</title></head>
<body><h1>muniops agent</h1><p>Version ${version.replace(/[<>&"]/g, "")}.</p>
<ul><li><a href="metrics">Metrics</a></li><li><a href="healthz">Health</a></li></ul></body></html>
`;

type Bcrypt = (typeof BcryptModule)["default"];
type CreateHash = (typeof NodeCrypto)["createHash"];

/**
 * bcrypt is deliberately slow (~50 ms at cost 10): checking it on every scrape would cost more than the
 * scrape. Like exporter-toolkit, remember the outcome per (user, password) digest; the cache holds
 * digests only, never passwords, and is bounded.
 */
class BasicAuth {
  private readonly verdicts = new Map<string, boolean>();

  private constructor(
    private readonly users: Map<string, string>,
    private readonly bcrypt: Bcrypt,
    private readonly createHash: CreateHash,
    // Unknown users are checked against this, so response timing doesn't reveal which users exist.
    private readonly dummyHash: string,
  ) {}

  static async create(users: Map<string, string>): Promise<BasicAuth> {
    const [bcryptModule, { createHash }] = await Promise.all([import("bcryptjs"), import("node:crypto")]);
    const bcrypt = bcryptModule.default;
    return new BasicAuth(users, bcrypt, createHash, bcrypt.hashSync("not a password", 10));
  }

  async check(header: string | undefined): Promise<boolean> {
    if (!header?.startsWith("Basic ")) return false;
    const decoded = Buffer.from(header.slice(6), "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0) return false;
    const user = decoded.slice(0, colon);
    const hash = this.users.get(user);
    const target = hash ?? this.dummyHash;
    const key = this.createHash("sha256")
      .update(`${user}\0${decoded.slice(colon + 1)}\0${target}`)
      .digest("hex");
    let ok = this.verdicts.get(key);
    if (ok === undefined) {
      ok = await this.bcrypt.compare(decoded.slice(colon + 1), target.replace(/^\$2y\$/, "$2b$"));
      if (this.verdicts.size >= 1000) this.verdicts.clear();
      this.verdicts.set(key, ok);
    }
    return ok && hash !== undefined;
  }
}

export interface ServerOptions {
  address: ListenAddress;
  web: WebConfig;
  /** Only scrape() is used; tests hand in a scraper they control. */
  scraper: Pick<Scraper, "scrape">;
  version: string;
  listenText: string;
  /** Most /metrics requests in progress at once; beyond it 503, as node_exporter's --web.max-requests. 0: no limit. */
  maxRequests?: number;
}

export async function startServer(options: ServerOptions): Promise<AgentServer> {
  const { web, scraper, version } = options;
  const maxRequests = options.maxRequests ?? 40;
  // Scrapes in progress. A pile of concurrent scrapes (a misconfigured Prometheus pair, a loop in a script)
  // would otherwise each run every collector, and the agent's CPU and memory would grow with them.
  let metricsInFlight = 0;
  const auth = web.users ? await BasicAuth.create(web.users) : undefined;
  const headers = { "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store", ...web.headers };

  const serveMetrics = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const families = await scraper.scrape();
    const openMetrics = wantsOpenMetrics(req.headers.accept);
    const text = openMetrics ? formatOpenMetrics(families) : formatText(families);
    // Prometheus always asks for gzip; across a WAN it shrinks a scrape about tenfold. Level 1 because
    // exposition text compresses well even at the fastest level, and CPU on the server is what we save.
    const compress = /\bgzip\b/.test(req.headers["accept-encoding"] ?? "");
    const body = compress ? await gzipAsync(text, { level: 1 }) : Buffer.from(text);
    res.writeHead(200, {
      "Content-Type": openMetrics ? openMetricsContentType : textContentType,
      "Content-Length": body.length,
      ...(compress ? { "Content-Encoding": "gzip" } : {}),
      Vary: "Accept-Encoding",
    });
    res.end(req.method === "HEAD" ? undefined : body);
    afterScrape();
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    if (auth && !(await auth.check(req.headers.authorization))) {
      res
        .writeHead(401, {
          "WWW-Authenticate": 'Basic realm="muniops agent"',
          "Content-Type": "text/plain; charset=utf-8",
        })
        .end("Unauthorized\n");
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { Allow: "GET, HEAD" }).end();
      return;
    }
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/metrics") {
      if (maxRequests > 0 && metricsInFlight >= maxRequests) {
        const text = `Limit of concurrent requests reached (${maxRequests}), try again later.\n`;
        res.writeHead(503, { "Content-Type": "text/plain; charset=utf-8" }).end(text);
        return;
      }
      metricsInFlight++;
      try {
        await serveMetrics(req, res);
      } finally {
        metricsInFlight--;
      }
    } else if (path === "/healthz") {
      res.writeHead(200, { "Content-Type": "text/plain; charset=utf-8" }).end("ok\n");
    } else if (path === "/") {
      res
        .writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": "default-src 'none'" })
        .end(landingPage(version));
    } else {
      res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" }).end("Not found\n");
    }
  };
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((error: unknown) => {
      logger().error({ err: error instanceof Error ? error.message : String(error) }, "request failed");
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  };
  const server: Server = web.tls
    ? (await import("node:https")).createServer(
        { cert: web.tls.cert, key: web.tls.key, minVersion: web.tls.minVersion },
        listener,
      )
    : createHttpServer(listener);
  // Prometheus keeps its connection open between scrapes; allow it to idle a little longer than a scrape interval.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(new UsageError(`--web.listen-address ${options.listenText}: ${listenFailure(error)}`));
    });
    server.listen(options.address.port, options.address.host, () => {
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.address.host ?? "127.0.0.1";
  const url = `${web.tls ? "https" : "http"}://${host.includes(":") ? `[${host}]` : host}:${port}`;
  return {
    server,
    port,
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}

/** Why the agent could not listen, in words. */
function listenFailure(error: NodeJS.ErrnoException): string {
  return error.code === "EADDRINUSE"
    ? "address already in use"
    : error.code === "EACCES"
      ? "permission denied"
      : error.code === "EADDRNOTAVAIL"
        ? "address not available on this machine"
        : error.message;
}
