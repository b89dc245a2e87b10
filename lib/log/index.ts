import { loadConfig, type AppConfig } from "@/lib/config";

const levels = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
type Level = Exclude<keyof typeof levels, "silent">;

let threshold: AppConfig["logLevel"] | undefined;

/** Sets the level below which lines are dropped (the composition root calls it with its config). */
export function setLogLevel(level: AppConfig["logLevel"]): void {
  threshold = level;
}

function currentLevel(): AppConfig["logLevel"] {
  if (threshold === undefined) {
    try {
      threshold = loadConfig().logLevel;
    } catch {
      threshold = "info";
    }
  }
  return threshold;
}

function write(level: Level, message: string, fields?: Record<string, unknown>): void {
  if (levels[level] < levels[currentLevel()]) return;
  const line = JSON.stringify({ time: new Date().toISOString(), level, message, ...fields });
  if (level === "error" || level === "warn") process.stderr.write(line + "\n");
  else process.stdout.write(line + "\n");
}

/** Structured JSON logger. Never pass secrets, e-mail addresses or transcript text to it. */
export const logger = {
  debug: (message: string, fields?: Record<string, unknown>) => write("debug", message, fields),
  info: (message: string, fields?: Record<string, unknown>) => write("info", message, fields),
  warn: (message: string, fields?: Record<string, unknown>) => write("warn", message, fields),
  error: (message: string, fields?: Record<string, unknown>) => write("error", message, fields),
};
