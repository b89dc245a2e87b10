import { NextResponse } from "next/server";
import { ZodError, type ZodType } from "zod";
import { AppError, toAppError } from "@/lib/domain/errors";
import { currentRequestScope, logger, runInRequestScope } from "@/lib/log";
import { getProcessConfig } from "@/lib/services";
import { readBodyText, type BodyLimits } from "./body";
import { errorReply } from "./error-reply";
import { checkCrossSite, STATE_CHANGING_METHODS } from "./origin-checks";
import { appErrorFromZod, parseInput } from "./parse-input";
import { ConcurrencyLimiter } from "./rate-limit";
import { isSafeRequestId, REQUEST_ID_HEADER } from "./request-id";

export { parseInput };

type Handler<C> = (request: Request, context: C) => Promise<Response>;

/**
 * Wraps a route handler so that every failure becomes the JSON error envelope with the right
 * status (and the request's id, and `Retry-After` on a 429), and unexpected errors are logged
 * without leaking details. The handler runs in the request's log scope.
 */
export function withErrors<C>(handler: Handler<C>): Handler<C> {
  return (request, context) => inRequestScope(request, () => answerErrors(handler, request, context));
}

async function answerErrors<C>(handler: Handler<C>, request: Request, context: C): Promise<Response> {
  try {
    return await handler(request, context);
  } catch (error) {
    const appError = error instanceof ZodError ? appErrorFromZod(error) : toAppError(error);
    if (appError.status >= 500) {
      logger.error("request failed", {
        method: request.method,
        path: new URL(request.url).pathname,
        code: appError.code,
        cause: describeCause(error),
      });
    }
    const reply = errorReply(appError, request);
    return new NextResponse(reply.body, { status: reply.status, headers: reply.headers });
  }
}

/**
 * The custom server opens each request's log scope; a route reached another way (a test calling
 * it directly with the server's `x-request-id`) opens it here.
 */
function inRequestScope<T>(request: Request, fn: () => Promise<T>): Promise<T> {
  const requestId = request.headers.get(REQUEST_ID_HEADER);
  if (currentRequestScope() || !isSafeRequestId(requestId)) return fn();
  return runInRequestScope({ requestId }, fn);
}

/** What a route declares: schemas (from `lib/contract`) for its path params, query string and JSON body. */
export interface RouteSpec<P, Q, B> {
  params?: ZodType<P>;
  query?: ZodType<Q>;
  /** A JSON body: `Content-Type: application/json` is required (415), its size capped (413). */
  body?: ZodType<B>;
  /**
   * A multipart upload (read by the handler): `multipart/form-data` is required (415) and each
   * client may have only so many in progress at once (429 `too_many_uploads`).
   */
  upload?: true;
}

/** The typed input a declared route's handler receives; undeclared parts are `undefined`. */
export interface RouteInput<P, Q, B> {
  request: Request;
  params: P;
  query: Q;
  body: B;
}

/**
 * A route handler that declares its input: the wrapper refuses state-changing requests from
 * other sites' pages (403 `cross_site`) and bodies of the wrong type (415), parses params, query
 * and body against the schemas (400 `validation_failed` / `bad_request` with a readable message)
 * and hands typed values to the handler; every failure becomes the error envelope (see
 * {@link withErrors}).
 */
export function route<P = undefined, Q = undefined, B = undefined>(
  spec: RouteSpec<P, Q, B>,
  handler: (input: RouteInput<P, Q, B>) => Promise<Response>,
) {
  return withErrors(
    async (request: Request, context: { params?: Promise<Record<string, string | string[]>> } = {}) => {
      const method = request.method.toUpperCase();
      const config = STATE_CHANGING_METHODS.has(method) ? getProcessConfig() : null;
      if (config) {
        // A request built in-process (tests) has no Host header: its URL names the host.
        const header = (name: string) =>
          request.headers.get(name) ?? (name === "host" ? new URL(request.url).host : undefined);
        const refused = checkCrossSite(method, header, {
          publicOrigins: config.http.publicOrigins,
          trustProxy: config.server.trustProxy,
        });
        if (refused) throw refused;
        checkContentType(request, spec);
      }
      const params = spec.params ? parseInput(spec.params, await context.params) : undefined;
      const query = spec.query ? readQuery(request, spec.query) : undefined;
      const body =
        spec.body && config
          ? await readJson(request, spec.body, {
              maxBytes: config.http.jsonMaxBytes,
              idleMs: config.http.bodyIdleTimeoutMs,
            })
          : undefined;
      const input = { request, params: params as P, query: query as Q, body: body as B };
      if (!spec.upload || !config) return handler(input);
      const release = takeUploadSlot(request, config.http.uploadsPerClient);
      try {
        return await handler(input);
      } finally {
        release();
      }
    },
  );
}

/** The media type of a request body (`application/json`), without parameters. */
function mediaType(request: Request): string | undefined {
  const value = request.headers.get("content-type");
  return value ? value.split(";")[0]!.trim().toLowerCase() : undefined;
}

/**
 * JSON routes take `application/json` only, uploads `multipart/form-data` only, and a route
 * without a body takes no form or text body: the types a page of another site can send without
 * asking (a "simple" request) never reach a handler.
 */
function checkContentType(request: Request, spec: RouteSpec<unknown, unknown, unknown>): void {
  const type = mediaType(request);
  if (spec.upload) {
    if (type !== "multipart/form-data") {
      throw new AppError(
        "unsupported_media_type",
        "Send the audio as multipart/form-data with a field named “audio”.",
      );
    }
    return;
  }
  if (spec.body ? type !== "application/json" : type !== undefined && type !== "application/json") {
    throw new AppError(
      "unsupported_media_type",
      spec.body
        ? "Send the request body as JSON (Content-Type: application/json)."
        : "This request takes no form or text body.",
    );
  }
}

const uploadSlotsKey = Symbol.for("transcribe.upload-slots");

/** Uploads in progress per client, shared by every copy of this module in the process. */
function uploadSlots(): ConcurrencyLimiter {
  const holder = globalThis as unknown as Record<symbol, ConcurrencyLimiter | undefined>;
  return (holder[uploadSlotsKey] ??= new ConcurrencyLimiter());
}

/** Takes one of the client's upload slots (the client as the server identified it), or 429. */
function takeUploadSlot(request: Request, limit: number): () => void {
  const client = request.headers.get("x-client-address") ?? "unknown";
  const release = uploadSlots().acquire(client, limit);
  if (!release) {
    throw new AppError(
      "too_many_uploads",
      `${limit} upload${limit === 1 ? " is" : "s are"} already in progress from here. Wait for one to finish, then try again.`,
      { retryAfterSec: 10 },
    );
  }
  return release;
}

/**
 * Reads a JSON body and parses it with `schema`: the body is counted as it arrives (413 beyond
 * `limits.maxBytes`, 408 when it stalls), then 400 `bad_request` when it is not JSON.
 */
export async function readJson<T>(request: Request, schema: ZodType<T>, limits: BodyLimits): Promise<T> {
  const text = await readBodyText(request, limits);
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    throw new AppError("bad_request", "The body must be JSON.");
  }
  return parseInput(schema, body);
}

/** Parses the query string of `request` with `schema`. */
export function readQuery<T>(request: Request, schema: ZodType<T>): T {
  return parseInput(schema, Object.fromEntries(new URL(request.url).searchParams));
}

/** The failure behind an error, for the log (which redacts addresses and secrets in it). */
function describeCause(error: unknown): string {
  const cause = error instanceof AppError && error.cause ? error.cause : error;
  return cause instanceof Error
    ? `${cause.name}: ${cause.message}`
    : typeof cause === "object" && cause !== null
      ? JSON.stringify(cause)
      : String(cause);
}
