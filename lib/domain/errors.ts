/** Every error code the API can answer with, and the HTTP status it maps to. */
export const errorStatus = {
  bad_request: 400,
  validation_failed: 400,
  missing_audio: 400,
  empty_file: 400,
  unauthorized: 401,
  cross_site: 403,
  not_found: 404,
  session_not_found: 404,
  method_not_allowed: 405,
  request_timeout: 408,
  conflict: 409,
  precondition_failed: 412,
  payload_too_large: 413,
  range_not_satisfiable: 416,
  misdirected_request: 421,
  headers_too_large: 431,
  audio_too_long: 413,
  unsupported_media_type: 415,
  undecodable_audio: 422,
  unprocessable: 422,
  empty_transcript: 422,
  segments_mismatch: 422,
  precondition_required: 428,
  rate_limited: 429,
  too_many_uploads: 429,
  too_many_sessions: 429,
  session_too_long: 413,
  audio_too_fast: 429,
  internal: 500,
  engine_failed: 500,
  engine_rejected: 502,
  summary_failed: 502,
  summary_unavailable: 503,
  email_failed: 502,
  email_unavailable: 503,
  engine_unavailable: 503,
  storage_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

/** The JSON body of every API failure; `requestId` (when the server knows it) matches its logs. */
export interface ErrorEnvelope {
  error: { code: ErrorCode; message: string; requestId?: string };
}

/** `Retry-After` of a 429 whose thrower named no wait. */
export const DEFAULT_RETRY_AFTER_SEC = 60;

const appErrorBrand = Symbol.for("transcribe.app-error");

/**
 * An error meant for the client: its message is safe to show to a person. `instanceof` checks a
 * shared brand, because the custom server and Next's route bundles each load their own copy of
 * this module while sharing one service context.
 */
export class AppError extends Error {
  static [Symbol.hasInstance](value: unknown): boolean {
    return (
      typeof value === "object" &&
      value !== null &&
      (value as Record<symbol, unknown>)[appErrorBrand] === true
    );
  }

  readonly [appErrorBrand] = true;
  readonly code: ErrorCode;
  readonly status: number;

  /** Seconds the client should wait before trying again (sent as `Retry-After` on a 429 or 503). */
  readonly retryAfterSec: number | undefined;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; retryAfterSec?: number }) {
    super(message, options);
    this.name = "AppError";
    this.code = code;
    this.status = errorStatus[code];
    this.retryAfterSec = options?.retryAfterSec;
  }

  /** Extra response headers (e.g. `Content-Range` on a 416). */
  headers: Record<string, string> = {};

  /** The reply's headers: {@link headers}, and `Retry-After` on every 429 (and a 503 that names a wait). */
  responseHeaders(): Record<string, string> {
    const headers = { ...this.headers };
    const wait = this.retryAfterSec ?? (this.status === 429 ? DEFAULT_RETRY_AFTER_SEC : undefined);
    if (wait !== undefined && (this.status === 429 || this.status === 503) && !headers["Retry-After"]) {
      headers["Retry-After"] = String(Math.max(1, Math.ceil(wait)));
    }
    return headers;
  }

  toEnvelope(requestId?: string): ErrorEnvelope {
    return { error: { code: this.code, message: this.message, ...(requestId ? { requestId } : {}) } };
  }
}

/** Narrows anything thrown into an {@link AppError}, hiding internals of unexpected failures. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  return new AppError("internal", "Something went wrong on the server. Please try again.", { cause: error });
}

/**
 * Whether trying again cannot help: a client error (4xx) other than throttling, or credentials the
 * speech service refused (`engine_rejected`, a 502 because the server, not the client, is at fault).
 */
export function isLastingFailure(error: AppError): boolean {
  return error.code === "engine_rejected" || (error.status < 500 && error.code !== "rate_limited");
}
