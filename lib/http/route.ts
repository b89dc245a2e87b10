import { NextResponse } from "next/server";
import { ZodError, type ZodType } from "zod";
import { logger } from "@/lib/log";
import { AppError, toAppError } from "@/lib/domain/errors";
import { maskEmail } from "@/lib/util/mask-email";
import { appErrorFromZod, parseInput } from "./parse-input";

export { parseInput };

type Handler<C> = (request: Request, context: C) => Promise<Response>;

/**
 * Wraps a route handler so that every failure becomes the JSON error envelope
 * with the right status, and unexpected errors are logged without leaking details.
 */
export function withErrors<C>(handler: Handler<C>): Handler<C> {
  return async (request, context) => {
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
      return NextResponse.json(appError.toEnvelope(), { status: appError.status, headers: appError.headers });
    }
  };
}

/** What a route declares: schemas (from `lib/contract`) for its path params, query string and JSON body. */
export interface RouteSpec<P, Q, B> {
  params?: ZodType<P>;
  query?: ZodType<Q>;
  body?: ZodType<B>;
}

/** The typed input a declared route's handler receives; undeclared parts are `undefined`. */
export interface RouteInput<P, Q, B> {
  request: Request;
  params: P;
  query: Q;
  body: B;
}

/**
 * A route handler that declares its input: the wrapper parses params, query and body against
 * the schemas (400 `validation_failed` / `bad_request` with a readable message) and hands typed
 * values to the handler; every failure becomes the error envelope (see {@link withErrors}).
 */
export function route<P = undefined, Q = undefined, B = undefined>(
  spec: RouteSpec<P, Q, B>,
  handler: (input: RouteInput<P, Q, B>) => Promise<Response>,
) {
  return withErrors(
    async (request: Request, context: { params?: Promise<Record<string, string | string[]>> } = {}) => {
      const params = spec.params ? parseInput(spec.params, await context.params) : undefined;
      const query = spec.query ? readQuery(request, spec.query) : undefined;
      const body = spec.body ? await readJson(request, spec.body) : undefined;
      return handler({ request, params: params as P, query: query as Q, body: body as B });
    },
  );
}

/** Reads a JSON body and parses it with `schema`: 400 `bad_request` when it is not JSON. */
export async function readJson<T>(request: Request, schema: ZodType<T>): Promise<T> {
  const body: unknown = await request.json().catch(() => {
    throw new AppError("bad_request", "The body must be JSON.");
  });
  return parseInput(schema, body);
}

/** Parses the query string of `request` with `schema`. */
export function readQuery<T>(request: Request, schema: ZodType<T>): T {
  return parseInput(schema, Object.fromEntries(new URL(request.url).searchParams));
}

function describeCause(error: unknown): string {
  const cause = error instanceof AppError && error.cause ? error.cause : error;
  const text =
    cause instanceof Error
      ? `${cause.name}: ${cause.message}`
      : typeof cause === "object" && cause !== null
        ? JSON.stringify(cause)
        : String(cause);
  // Provider errors often quote the recipient; addresses are never logged in full.
  return text.replace(/[^\s<>"'(),;:@]+@[^\s<>"'(),;:]+\.[^\s<>"'(),;:]+/g, (address) => maskEmail(address));
}
