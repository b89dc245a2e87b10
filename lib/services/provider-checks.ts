import { toAppError } from "@/lib/domain/errors";
import { logger } from "@/lib/log";
import type { CheckedArea, ProviderCheckResult, Services } from "./context";

/** Longest wait for one provider's answer. */
const CHECK_TIMEOUT_MS = 10_000;

/**
 * Asks each cloud provider of the set (speech, summary, e-mail) once whether it answers and takes
 * its credentials, at no cost, and keeps the answers for `/api/health` (which never calls out
 * itself). Providers with nothing to ask are left out. Never rejects; failures are logged.
 */
export async function runProviderChecks(services: Services): Promise<void> {
  const providers = [
    { area: "speech", id: services.engine.info.id, check: services.engine.check?.bind(services.engine) },
    {
      area: "summary",
      id: services.summarizer.info.id,
      check: services.summarizer.check?.bind(services.summarizer),
    },
    {
      area: "email",
      id: services.email.sender.info.id,
      check: services.email.sender.check?.bind(services.email.sender),
    },
  ] satisfies Array<{ area: CheckedArea; id: string; check?: (signal: AbortSignal) => Promise<void> }>;
  await Promise.all(
    providers.map(async ({ area, id, check }) => {
      if (!check) return;
      const signal = AbortSignal.timeout(CHECK_TIMEOUT_MS);
      let result: ProviderCheckResult;
      try {
        await check(signal);
        result = { reachable: true };
      } catch (error) {
        const message = signal.aborted
          ? `It did not answer within ${CHECK_TIMEOUT_MS / 1000} s.`
          : toAppError(error).message;
        result = { reachable: false, error: message };
        logger.warn("provider did not pass its start-up check", { area, provider: id, error: message });
      }
      services.checks.set(area, result);
    }),
  );
}
