import { AsyncLocalStorage } from "node:async_hooks";

/** What the server knows about the request being served, for every line logged while serving it. */
export interface RequestScope {
  /** The request's id: echoed as `x-request-id`, logged on every line, put in error envelopes. */
  requestId: string;
  /**
   * Closes the client's connection once the reply is sent (set by the server): for a body that
   * stalled, whose sender would otherwise keep the connection open.
   */
  dropConnection?: () => void;
}

const scopeKey = Symbol.for("transcribe.request-scope");

/**
 * One store for the process: the custom server and Next's route bundles each load their own copy
 * of this module, and the scope the server opens must be the one the route handlers read.
 */
function storage(): AsyncLocalStorage<RequestScope> {
  const holder = globalThis as unknown as Record<symbol, AsyncLocalStorage<RequestScope> | undefined>;
  return (holder[scopeKey] ??= new AsyncLocalStorage<RequestScope>());
}

/** Runs `fn` (and everything it starts) inside the scope of one request. */
export function runInRequestScope<T>(scope: RequestScope, fn: () => T): T {
  return storage().run(scope, fn);
}

/** The scope of the request being served, if any. */
export function currentRequestScope(): RequestScope | undefined {
  return storage().getStore();
}

/** Runs `fn` outside any request's scope (long-lived work that a request merely started). */
export function runOutsideRequestScope<T>(fn: () => T): T {
  return storage().exit(fn);
}
