import { AppError } from "@/lib/domain/errors";

interface RestLikeError {
  statusCode?: number;
  code?: string;
  name?: string;
}

/**
 * Maps an Azure SDK error to one of ours: unreachable or failing storage becomes 503 with a
 * message a person can act on, version conflicts 412, missing 404, existing 409.
 */
export function mapStorageError(error: unknown, action: string): AppError {
  if (error instanceof AppError) return error;
  const e = (error ?? {}) as RestLikeError;
  const status = e.statusCode;
  if (status === 412 || e.code === "ConditionNotMet" || e.code === "UpdateConditionNotSatisfied") {
    return new AppError(
      "precondition_failed",
      "Someone else changed this transcript. Reload to see their version.",
      {
        cause: error,
      },
    );
  }
  if (status === 404) return new AppError("not_found", "It no longer exists.", { cause: error });
  if (status === 409) return new AppError("conflict", "It already exists.", { cause: error });
  if (status === undefined || status === 408 || status === 429 || status >= 500) {
    return new AppError(
      "storage_unavailable",
      `Storage is not reachable right now, so ${action} did not happen. Nothing was saved; try again in a moment.`,
      { cause: error },
    );
  }
  return new AppError("internal", `Storage refused the request while ${action}.`, { cause: error });
}

/**
 * Runs `create` (a container, table or queue that must exist) on first use and remembers that it
 * worked; a failure is mapped to our error and tried again by the next call.
 */
export function createOnce(create: () => Promise<unknown>, action: string): () => Promise<void> {
  let ready: Promise<unknown> | null = null;
  return async () => {
    ready ??= create().catch((error: unknown) => {
      ready = null;
      throw mapStorageError(error, action);
    });
    await ready;
  };
}
