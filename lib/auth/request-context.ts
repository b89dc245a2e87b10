import type { StorageConfig } from "@/lib/config";

/**
 * The owner (storage partition) a request acts for. Until sign-in exists every request acts for
 * the configured owner; sign-in changes only this function.
 */
export function resolveOwner(_request: Request, storage: Pick<StorageConfig, "owner">): string {
  return storage.owner;
}

/** The owner of work that no request started (resuming jobs at start-up). */
export function systemOwner(storage: Pick<StorageConfig, "owner">): string {
  return storage.owner;
}
