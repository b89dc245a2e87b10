// What the custom server checks before Next.js sees a request: the request id and log scope, the
// security headers, malformed addresses, unknown methods and API paths, the Host (DNS
// rebinding), other sites' state-changing requests and WebSocket upgrades, and the timeouts.
import type http from "node:http";
import os from "node:os";
import type { Duplex } from "node:stream";
import type { AppConfig } from "@/lib/config";
import { AppError } from "@/lib/domain/errors";
import { logger, runInRequestScope, type RequestScope } from "@/lib/log";
import { apiRouteMethods } from "./api-routes";
import { errorReply } from "./error-reply";
import { checkCrossSite, checkHost, type HeaderReader, type OriginPolicy } from "./origin-checks";
import { REQUEST_ID_HEADER, requestIdFor } from "./request-id";
import { apiContentSecurityPolicy, securityHeaders } from "./security-headers";

/** Methods any path may be asked with; anything else (TRACE, CONNECT, PROPFIND…) is a 405. */
const KNOWN_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
/** What pages (and static files) answer: GET and HEAD, POST for forms and server functions. */
const PAGE_METHODS = ["GET", "HEAD", "POST", "OPTIONS"];

/** How long a socket may stay silent both ways before it is closed (a client that stopped reading). */
const SOCKET_IDLE_MS = 10 * 60_000;
/** How long an idle keep-alive connection is kept for the client's next request. */
const KEEP_ALIVE_MS = 5_000;
/** After a reply that closes a connection whose body is still arriving: time for the client to read it. */
const LINGER_MS = 5_000;

/** The server-level protections, built once from the configuration. */
export interface ServerGuards {
  /** Options for `http.createServer`: header and request timeouts. */
  readonly serverOptions: http.ServerOptions;
  /** Sets the socket and keep-alive timeouts and answers malformed requests with the envelope. */
  attach(server: http.Server): void;
  /** Answers a request that must be refused; otherwise runs `next` in the request's log scope. */
  handleRequest(request: http.IncomingMessage, response: http.ServerResponse, next: () => void): void;
  /** The same for a WebSocket upgrade: refused ones are answered on the socket and closed. */
  handleUpgrade(request: http.IncomingMessage, socket: Duplex, next: () => void): void;
}

export interface ServerGuardOptions {
  config: Pick<AppConfig, "server" | "http">;
  /**
   * Whether a sign-in protects the data. Without one, anyone who reaches the server acts for its
   * owner, so a page of another site that rebinds its own name to this server must not get an
   * answer: the Host must be one of this machine's names or addresses, or a public origin. With
   * sign-in the Host is checked only when PUBLIC_ORIGINS is set.
   */
  signIn?: boolean;
}

/** Builds the guards; `server.ts` calls them from its request and upgrade handlers. */
export function createServerGuards(options: ServerGuardOptions): ServerGuards {
  const { config } = options;
  const policy: OriginPolicy = {
    publicOrigins: config.http.publicOrigins,
    trustProxy: config.server.trustProxy,
    localNames: [os.hostname()],
  };
  const checkHosts = !options.signIn || config.http.publicOrigins.length > 0;
  const requestTimeout = config.http.requestTimeoutMs;
  const headersTimeout =
    requestTimeout > 0
      ? Math.min(config.http.headersTimeoutMs, requestTimeout)
      : config.http.headersTimeoutMs;

  /** Why a request (or upgrade) is refused, before anything else sees it; null to go on. */
  function refusal(
    request: http.IncomingMessage,
    upgrade: boolean,
  ): { error: AppError; allow?: string } | null {
    const header: HeaderReader = (name) => {
      const value = request.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    if (checkHosts) {
      const misdirected = checkHost(header, policy);
      if (misdirected) return { error: misdirected };
    }
    let pathname: string;
    try {
      pathname = new URL(request.url ?? "/", "http://localhost").pathname;
      for (const segment of pathname.split("/")) decodeURIComponent(segment);
    } catch {
      return {
        error: new AppError("bad_request", "The address is malformed (a broken %-escape or character)."),
      };
    }
    const method = (request.method ?? "GET").toUpperCase();
    if (!upgrade) {
      const api = pathname === "/api" || pathname.startsWith("/api/");
      const allowed = api ? apiRouteMethods(pathname) : PAGE_METHODS;
      if (!allowed) return { error: new AppError("not_found", "There is no API at this address.") };
      if (!KNOWN_METHODS.has(method) || !allowed.includes(method)) {
        return {
          error: new AppError("method_not_allowed", `${method.slice(0, 20)} is not allowed here.`),
          allow: allowed.join(", "),
        };
      }
    }
    const crossSite = checkCrossSite(method, header, policy, { upgrade });
    return crossSite ? { error: crossSite } : null;
  }

  /** The request's id (the caller's when it is a safe token), put on the request for the route handlers. */
  function assignRequestId(request: http.IncomingMessage): string {
    const requestId = requestIdFor(request.headers[REQUEST_ID_HEADER]);
    request.headers[REQUEST_ID_HEADER] = requestId;
    return requestId;
  }

  return {
    serverOptions: {
      headersTimeout,
      requestTimeout,
      keepAliveTimeout: KEEP_ALIVE_MS,
      // How often Node checks the two timeouts above (its default, 30 s, would let them overrun).
      connectionsCheckingInterval: Math.min(5_000, Math.max(250, Math.floor(headersTimeout / 4))),
    },

    attach(server) {
      server.timeout = SOCKET_IDLE_MS;
      server.keepAliveTimeout = KEEP_ALIVE_MS;
      server.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex) =>
        answerClientError(error, socket),
      );
    },

    handleRequest(request, response, next) {
      const requestId = assignRequestId(request);
      response.setHeader(REQUEST_ID_HEADER, requestId);
      for (const [name, value] of Object.entries(securityHeaders)) response.setHeader(name, value);
      const pathname = (request.url ?? "/").split("?")[0]!;
      // Pages get theirs, with a nonce, from the proxy (proxy.ts).
      if (pathname.startsWith("/api/") || pathname === "/api") {
        response.setHeader("Content-Security-Policy", apiContentSecurityPolicy);
      }
      const scope: RequestScope = { requestId, dropConnection: () => dropAfterReply(request, response) };
      runInRequestScope(scope, () => {
        const refused = refusal(request, false);
        if (!refused) {
          next();
          return;
        }
        logRefusal(request, refused.error);
        const reply = errorReply(refused.error);
        response.setHeader("Content-Security-Policy", apiContentSecurityPolicy);
        if (refused.allow) response.setHeader("Allow", refused.allow);
        // What the client sent with a refused request is not read: close rather than drain it.
        if (request.headers["content-length"] || request.headers["transfer-encoding"]) {
          dropAfterReply(request, response);
        }
        response.writeHead(reply.status, reply.headers).end(reply.body);
      });
    },

    handleUpgrade(request, socket, next) {
      const requestId = assignRequestId(request);
      runInRequestScope({ requestId }, () => {
        const refused = refusal(request, true);
        if (!refused) {
          next();
          return;
        }
        logRefusal(request, refused.error);
        writeRaw(socket, errorReply(refused.error), { [REQUEST_ID_HEADER]: requestId });
      });
    },
  };
}

/** One line per refused request (no query string: it may hold search terms). */
function logRefusal(request: http.IncomingMessage, error: AppError): void {
  let path = "(malformed)";
  try {
    path = new URL(request.url ?? "/", "http://localhost").pathname.slice(0, 200);
  } catch {
    // The address itself was the problem.
  }
  logger.info("request refused", {
    status: error.status,
    code: error.code,
    method: (request.method ?? "").slice(0, 20),
    path,
  });
}

/** Closes the connection once the reply is sent, even if the client is still sending its body. */
function dropAfterReply(request: http.IncomingMessage, response: http.ServerResponse): void {
  if (!response.headersSent) {
    response.shouldKeepAlive = false;
    response.setHeader("Connection", "close");
  }
  const socket = request.socket;
  const close = () => {
    if (request.complete || !socket || socket.destroyed) return;
    // Half-close so that the reply is read, then let go of a sender that will not stop.
    socket.end();
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  };
  if (response.writableFinished) close();
  else response.once("finish", close);
}

/** Node's own answers to requests it cannot parse or that ran out of time, as the error envelope. */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  // As Node does: answer only when no reply has started on this connection.
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (!socket.writable || error.code === "ECONNRESET" || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const code = error.code ?? "";
  const reply =
    code === "ERR_HTTP_REQUEST_TIMEOUT"
      ? errorReply(new AppError("request_timeout", "The request took too long to arrive."))
      : code === "HPE_HEADER_OVERFLOW"
        ? errorReply(new AppError("headers_too_large", "The request's headers are too large."))
        : errorReply(new AppError("bad_request", "The request is malformed."));
  writeRaw(socket, reply, {});
}

const reasons: Record<number, string> = {
  400: "Bad Request",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  408: "Request Timeout",
  421: "Misdirected Request",
  431: "Request Header Fields Too Large",
};

/** Writes a whole HTTP reply on a raw socket (no ServerResponse there) and closes it. */
function writeRaw(socket: Duplex, reply: ReturnType<typeof errorReply>, extra: Record<string, string>): void {
  const headers = {
    ...securityHeaders,
    "Content-Security-Policy": apiContentSecurityPolicy,
    ...reply.headers,
    ...extra,
    "Content-Length": String(Buffer.byteLength(reply.body)),
    Connection: "close",
  };
  const head = [
    `HTTP/1.1 ${reply.status} ${reasons[reply.status] ?? "Error"}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ].join("\r\n");
  socket.end(`${head}\r\n\r\n${reply.body}`);
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}
