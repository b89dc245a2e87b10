import type { AppConfig, ProviderProblem } from "@/lib/config";
import { logger } from "@/lib/log";
import { removeOrphanedTempFiles } from "@/lib/util/temp-dir";
import type { Services } from "./context";
import { pruneSucceededJobs, queueOrphanedRecordings } from "./transcriptions";

/**
 * What a process does once its services are up: remove the temporary files of processes that
 * stopped (their jobs' audio is in storage), and, in the web server (`queueOrphans`), save live
 * sessions a stopped process left unfinished, queue a job for recordings an earlier version left
 * without one and remove old records of succeeded jobs.
 */
export async function runStartupTasks(
  services: Services,
  owner: string,
  options: { queueOrphans: boolean },
): Promise<void> {
  const cleaned = await removeOrphanedTempFiles(services.config.dataDir);
  if (cleaned > 0) logger.info("removed temporary files left by stopped processes", { count: cleaned });
  if (!options.queueOrphans) return;
  await recoverLiveSessions(services);
  const queued = await queueOrphanedRecordings({ services, owner });
  if (queued > 0) logger.info("queued recordings that had no job", { count: queued });
  await pruneJobs(services);
}

/**
 * Logs each chosen provider whose settings are missing or malformed (the process runs without
 * it; `/api/health` names it too). Returns how many there are.
 */
export function logConfigurationProblems(config: Pick<AppConfig, "speech" | "summary" | "email">): number {
  const slices = { speech: config.speech, summary: config.summary, email: config.email };
  let count = 0;
  for (const [area, slice] of Object.entries(slices)) {
    if (!("problem" in slice)) continue;
    const problem: ProviderProblem = slice.problem;
    logger.error("provider not configured", { area, provider: slice.provider, problem: problem.message });
    count++;
  }
  return count;
}

/** Removes records of jobs that succeeded over a week ago; logs instead of failing. */
export async function pruneJobs(services: Services): Promise<void> {
  try {
    const pruned = await pruneSucceededJobs(services);
    if (pruned > 0) logger.info("removed records of old finished jobs", { count: pruned });
  } catch (error) {
    logger.warn("old job records not removed", { error: String(error) });
  }
}

/**
 * Saves live sessions that an earlier process left unfinished and no client resumed: each becomes
 * a recording whose transcription is queued. Logs instead of failing.
 */
export async function recoverLiveSessions(services: Services): Promise<void> {
  try {
    const recovered = await services.live.recoverAbandoned();
    if (recovered > 0) logger.info("recovered unfinished live sessions", { count: recovered });
  } catch (error) {
    logger.warn("unfinished live sessions not recovered", { error: String(error) });
  }
}
