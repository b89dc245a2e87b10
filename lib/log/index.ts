import { loadConfig, type AppConfig } from "@/lib/config";
import { redactFields, redactText } from "./redact";
import { currentRequestScope } from "./request-scope";

export { redactFields, redactText, REDACTED } from "./redact";
export {
  currentRequestScope,
  runInRequestScope,
  runOutsideRequestScope,
  type RequestScope,
} from "./request-scope";

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
  const requestId = currentRequestScope()?.requestId;
  const line = JSON.stringify({
    time: new Date().toISOString(),
    level,
    message: redactText(message),
    ...(requestId ? { requestId } : {}),
    ...(fields ? redactFields(fields) : {}),
  });
  if (level === "error" || level === "warn") process.stderr.write(line + "\n");
  else process.stdout.write(line + "\n");
}

/**
 * Structured JSON logger: one object a line, with the request id of the request being served
 * (see {@link runInRequestScope}). Every line is redacted on the way out (keys, passwords,
 * cookies, tokens, transcript text and summaries by field name; e-mail addresses masked), but
 * still never pass secrets or what people said to it on purpose.
 */
export const logger = {
  debug: (message: string, fields?: Record<string, unknown>) => write("debug", message, fields),
  info: (message: string, fields?: Record<string, unknown>) => write("info", message, fields),
  warn: (message: string, fields?: Record<string, unknown>) => write("warn", message, fields),
  error: (message: string, fields?: Record<string, unknown>) => write("error", message, fields),
};
