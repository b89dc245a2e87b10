/** Shared fetch plumbing: the error envelope, network failures and small parsing helpers. */

import type { Page } from "./types";

/** An API failure carrying the server's user-facing message (or a readable fallback). */
export class ApiRequestError extends Error {
  readonly status: number;
  readonly code: string | undefined;

  constructor(message: string, status: number, code?: string) {
    super(message);
    this.name = "ApiRequestError";
    this.status = status;
    this.code = code;
  }
}

export const NETWORK_MESSAGE = "Could not reach the server. Check your connection and try again.";
export const UNEXPECTED_MESSAGE = "The server sent an unexpected response. Try again in a moment.";

export type Json = Record<string, unknown>;

export const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);
export const str = (value: unknown, fallback = "") => (typeof value === "string" ? value : fallback);
export const num = (value: unknown, fallback = 0) =>
  typeof value === "number" && Number.isFinite(value) ? value : fallback;

function fallbackMessage(status: number): string {
  if (status === 413) return "The file is larger than the server accepts.";
  if (status === 415) return "This file type is not supported. Choose an audio or video file.";
  if (status === 404) return "The server could not find what was requested.";
  if (status >= 500) return `The server ran into a problem (HTTP ${status}). Try again in a moment.`;
  return `The request failed (HTTP ${status}).`;
}

/** Reads `{ error: { code, message } }`, falling back to a message based on the status. */
export function errorFromResponse(status: number, body: string): ApiRequestError {
  try {
    const parsed: unknown = JSON.parse(body);
    if (isObject(parsed) && isObject(parsed.error) && typeof parsed.error.message === "string") {
      return new ApiRequestError(parsed.error.message, status, str(parsed.error.code) || undefined);
    }
  } catch {
    // Not JSON (a proxy page, an empty body): use the fallback below.
  }
  return new ApiRequestError(fallbackMessage(status), status);
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
  return { status: response.status, ok: response.ok, body: await response.text(), headers: response.headers };
}

export function parseBody(status: number, body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw new ApiRequestError(UNEXPECTED_MESSAGE, status);
  }
}

/** Requests JSON and throws the server's error for non-2xx answers. */
export async function requestJson(url: string, options?: RequestOptions): Promise<unknown> {
  const { status, ok, body } = await request(url, options);
  if (!ok) throw errorFromResponse(status, body);
  return parseBody(status, body);
}

/** For requests answered with 204 No Content. */
export async function requestEmpty(url: string, options?: RequestOptions): Promise<void> {
  const { status, ok, body } = await request(url, options);
  if (!ok) throw errorFromResponse(status, body);
}

export function parsePage<T>(value: unknown, parseItem: (item: unknown) => T | null): Page<T> {
  if (!isObject(value) || !Array.isArray(value.items)) throw new ApiRequestError(UNEXPECTED_MESSAGE, 200);
  return {
    items: value.items.map(parseItem).filter((item): item is T => item !== null),
    nextCursor: typeof value.nextCursor === "string" && value.nextCursor ? value.nextCursor : null,
  };
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
