import { randomUUID } from "node:crypto";

/** The header a request id travels in, both ways. */
export const REQUEST_ID_HEADER = "x-request-id";

/** A short token of safe characters: what an incoming `x-request-id` must be to be kept. */
const safeRequestId = /^[A-Za-z0-9._:-]{8,64}$/;

/**
 * The id of a request: the caller's `x-request-id` when it is a short safe token (a proxy's or a
 * client's id, so that logs can be matched across hops), otherwise a new random one. Anything
 * else (long, multiline, odd characters) is never echoed or logged.
 */
export function requestIdFor(incoming: string | string[] | null | undefined): string {
  const value = Array.isArray(incoming) ? incoming[0] : incoming;
  return isSafeRequestId(value) ? value : randomUUID();
}

/** Whether `value` is a request id this server would keep (see {@link requestIdFor}). */
export function isSafeRequestId(value: string | null | undefined): value is string {
  return typeof value === "string" && safeRequestId.test(value);
}
