import { type AppError } from "@/lib/domain/errors";
import { currentRequestScope } from "@/lib/log";
import { isSafeRequestId, REQUEST_ID_HEADER } from "./request-id";

/** An error envelope ready to send: status, headers and the JSON body. */
export interface ErrorReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * The reply for a failure: the envelope with the request's id (from the request scope, or the
 * `x-request-id` the server put on the request), `Retry-After` on every 429, and no caching.
 */
export function errorReply(error: AppError, request?: { headers: Headers }): ErrorReply {
  const header = request?.headers.get(REQUEST_ID_HEADER);
  const requestId = currentRequestScope()?.requestId ?? (isSafeRequestId(header) ? header : undefined);
  return {
    status: error.status,
    headers: {
      ...error.responseHeaders(),
      "Content-Type": "application/json; charset=utf-8",
      "Cache-Control": "no-store",
    },
    body: JSON.stringify(error.toEnvelope(requestId)),
  };
}
