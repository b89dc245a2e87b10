import type { AppConfig, StorageConfig } from "@/lib/config";
import { AppError } from "@/lib/domain/errors";
import { fetchHeaders, identify, type Identity } from "./identity";

/** The answer to a request nobody is signed in for, by why. */
export function unauthorizedError(reason: Exclude<Identity, { user: object }>["reason"]): AppError {
  switch (reason) {
    case "invalid":
      return new AppError("unauthorized", "Your session has ended. Sign in again.");
    case "not_allowed":
      return new AppError("unauthorized", "This account is not allowed to use this app.");
    default:
      return new AppError("unauthorized", "Sign in to use this app.");
  }
}

/**
 * The owner (storage partition) a request acts for: with sign-in off (`AUTH_MODE=none`) the
 * configured owner; otherwise the signed-in user's, and 401 `unauthorized` when nobody is.
 */
export function resolveOwner(request: Request, config: Pick<AppConfig, "auth" | "storage">): string {
  if (config.auth.mode === "none") return config.storage.owner;
  const identity = identify(fetchHeaders(request.headers), config.auth);
  if (!identity.user) throw unauthorizedError(identity.reason);
  return identity.user.owner;
}

/**
 * The owner of work that no request started (resuming jobs at start-up, recordings left without
 * a job by an earlier version): the configured owner. Jobs and live sessions carry their own owner.
 */
export function systemOwner(storage: Pick<StorageConfig, "owner">): string {
  return storage.owner;
}
