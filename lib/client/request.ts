/** Shared fetch plumbing: the error envelope, network failures and parsing answers with the contract. */

import type { ZodType } from "zod";
import { errorEnvelopeSchema } from "@/lib/contract";

/** An API failure carrying the server's user-facing message (or a readable fallback). */
export class ApiRequestError extends Error {
  readonly status: number;
  readonly code: string | undefined;

  constructor(message: string, status: number, code?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ApiRequestError";
    this.status = status;
    this.code = code;
  }
}

export const NETWORK_MESSAGE = "Could not reach the server. Check your connection and try again.";
export const UNEXPECTED_MESSAGE = "The server sent an unexpected response. Try again in a moment.";

function fallbackMessage(status: number): string {
  if (status === 413) return "The file is larger than the server accepts.";
  if (status === 415) return "This file type is not supported. Choose an audio or video file.";
  if (status === 404) return "The server could not find what was requested.";
  if (status >= 500) return `The server ran into a problem (HTTP ${status}). Try again in a moment.`;
  return `The request failed (HTTP ${status}).`;
}

/** Reads `{ error: { code, message } }`, falling back to a message based on the status. */
export function errorFromResponse(status: number, body: string): ApiRequestError {
  const envelope = errorEnvelopeSchema.safeParse(parseJson(body));
  if (envelope.success) {
    const { code, message } = envelope.data.error;
    return new ApiRequestError(message, status, code || undefined);
  }
  return new ApiRequestError(fallbackMessage(status), status);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Parses a successful answer's body with its contract schema; a body that is not JSON or does not
 * match becomes an {@link ApiRequestError} with a readable message (the mismatch is its `cause`).
 */
export function parseResponse<T>(schema: ZodType<T>, status: number, body: string): T {
  const result = schema.safeParse(parseJson(body));
  if (!result.success)
    throw new ApiRequestError(UNEXPECTED_MESSAGE, status, undefined, { cause: result.error });
  return result.data;
}

export interface RawResponse {
  status: number;
  ok: boolean;
  body: string;
  headers: Headers;
}

export interface RequestOptions {
  method?: "GET" | "PUT" | "DELETE" | "POST";
  signal?: AbortSignal;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  json?: unknown;
}

/** Performs a request; network failures become an {@link ApiRequestError} with status 0. */
export async function request(url: string, options: RequestOptions = {}): Promise<RawResponse> {
  const { method = "GET", signal, headers = {}, json } = options;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      signal,
      cache: "no-store",
      headers: {
        Accept: "application/json",
        ...(json === undefined ? {} : { "Content-Type": "application/json" }),
        ...headers,
      },
      body: json === undefined ? undefined : JSON.stringify(json),
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiRequestError(NETWORK_MESSAGE, 0);
  }
  if (response.status === 401 && !url.startsWith("/api/auth/")) goToSignIn();
  return { status: response.status, ok: response.ok, body: await response.text(), headers: response.headers };
}

let signInRedirectHeld = false;

/** Stops answers of 401 from moving the page (signing out: the page goes to the sign-in page itself). */
export function holdSignInRedirect(): void {
  signInRedirectHeld = true;
}

/** A session that ended (or none, with sign-in on): the page goes to sign in and comes back. */
function goToSignIn(): void {
  if (signInRedirectHeld || typeof window === "undefined" || window.location.pathname === "/sign-in") return;
  signInRedirectHeld = true;
  const here = `${window.location.pathname}${window.location.search}`;
  window.location.assign(here === "/" ? "/sign-in" : `/sign-in?next=${encodeURIComponent(here)}`);
}

/** Requests JSON, throws the server's error for non-2xx answers and parses the answer with `schema`. */
export async function requestJson<T>(url: string, schema: ZodType<T>, options?: RequestOptions): Promise<T> {
  const { status, ok, body } = await request(url, options);
  if (!ok) throw errorFromResponse(status, body);
  return parseResponse(schema, status, body);
}

/** For requests answered with 204 No Content. */
export async function requestEmpty(url: string, options?: RequestOptions): Promise<void> {
  const { status, ok, body } = await request(url, options);
  if (!ok) throw errorFromResponse(status, body);
}

export function messageOf(error: unknown, fallback: string): string {
  if (error instanceof ApiRequestError) return error.message;
  return fallback;
}

/** True for aborts caused by our own AbortController (not worth showing). */
export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === "AbortError";
}

export function query(params: Record<string, string | number | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== "") search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}
