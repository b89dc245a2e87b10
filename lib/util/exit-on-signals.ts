import { logger } from "@/lib/log";

/**
 * On SIGINT or SIGTERM (the first one only): logs `message`, runs `stop`, then exits 0; exits 1
 * if stopping takes longer than 10 s.
 */
export function exitOnSignals(message: string, stop: () => Promise<unknown>): void {
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(message, { signal });
    setTimeout(() => process.exit(1), 10_000).unref();
    void stop().then(() => process.exit(0));
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}
