// The app as a separate Node process (a server or `npm run worker`), for tests that kill it or run
// several at once: its JSON log lines are collected so that tests can wait for them.
import { spawn, type ChildProcessByStdio } from "node:child_process";
import path from "node:path";
import type { Readable } from "node:stream";

export const projectRoot = path.resolve(__dirname, "..", "..");

/** One JSON line the process printed (the app's logger writes one object per line). */
export type LogLine = Record<string, unknown> & { message?: string };

/** A running (or exited) child process of the app. */
export interface AppProcess {
  readonly pid: number;
  /** Every JSON line printed so far, stdout and stderr, in order of arrival. */
  readonly lines: LogLine[];
  /** Everything printed so far, as text (for failure messages). */
  output(): string;
  /** Resolves with the first line (already printed or to come) that `matches`; rejects on timeout or exit. */
  waitForLine(matches: (line: LogLine) => boolean, timeoutMs: number, what: string): Promise<LogLine>;
  /** Resolves once the process has exited (and been reaped, so its pid is free). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): void;
}

/**
 * The environment a child starts from: enough to find programs and the models, nothing of this
 * test process's own app settings (its storage, its job table), so each test says what it means.
 */
export function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { NODE_ENV: "test", NEXT_TELEMETRY_DISABLED: "1" };
  for (const name of ["PATH", "HOME", "TMPDIR", "FFMPEG_PATH", "MODEL_DIR"]) {
    const value = process.env[name];
    if (value) env[name] = value;
  }
  return env;
}

/**
 * Starts `node --import tsx <entry>` (one process, so its pid is the app's) from the project
 * folder with `env` as its whole environment.
 */
export function startAppProcess(entry: string, env: NodeJS.ProcessEnv): AppProcess {
  const child: ChildProcessByStdio<null, Readable, Readable> = spawn(
    process.execPath,
    ["--import", "tsx", path.resolve(projectRoot, entry)],
    { cwd: projectRoot, env, stdio: ["ignore", "pipe", "pipe"] },
  );
  const lines: LogLine[] = [];
  let text = "";
  const waiters = new Set<() => void>();
  const collect = (stream: Readable) => {
    let partial = "";
    stream.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      partial += chunk.toString();
      let newline: number;
      while ((newline = partial.indexOf("\n")) >= 0) {
        const line = partial.slice(0, newline).trim();
        partial = partial.slice(newline + 1);
        if (!line.startsWith("{")) continue;
        try {
          lines.push(JSON.parse(line) as LogLine);
        } catch {
          // Not one of the app's lines.
        }
      }
      for (const wake of waiters) wake();
    });
  };
  collect(child.stdout);
  collect(child.stderr);
  let hasExited = false;
  let closed = false;
  child.once("exit", () => {
    hasExited = true;
  });
  // "close" comes after "exit", once stdio has delivered the last lines too.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("close", (code, signal) => {
      closed = true;
      for (const wake of waiters) wake();
      resolve({ code, signal });
    });
  });

  return {
    pid: child.pid!,
    lines,
    output: () => text,
    exited,
    kill: (signal) => {
      if (!hasExited) child.kill(signal);
    },
    waitForLine(matches, timeoutMs, what) {
      return new Promise((resolve, reject) => {
        let seen = 0;
        const check = () => {
          for (; seen < lines.length; seen++) {
            if (matches(lines[seen]!)) {
              done();
              resolve(lines[seen]!);
              return;
            }
          }
          if (closed) {
            done();
            reject(new Error(`process ${child.pid} exited before ${what}. Its output:\n${text}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no ${what} from process ${child.pid} in ${timeoutMs} ms. Its output:\n${text}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
  };
}

/** Polls `probe` until it answers something other than null; throws after `timeoutMs`. */
export async function pollUntil<T>(
  probe: () => Promise<T | null>,
  timeoutMs: number,
  what: string,
  intervalMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * Starts the test server script (`tests/helpers/crash-server.ts`) on a data folder with its own
 * embedded Azurite on fixed ports (so that a restarted server finds the same storage), the local
 * engine on one thread and info logs; `env` adds or overrides settings. Resolves once it takes
 * requests.
 */
export async function startTestServer(options: {
  dataDir: string;
  ports: { blob: number; queue: number; table: number };
  env?: Record<string, string>;
  timeoutMs?: number;
  /** The server script: the route handlers behind bare node:http (default), or the real server.ts with Next.js (`tests/helpers/next-server.ts`, needs PORT in `env` and a build). */
  entry?: string;
}): Promise<{ process: AppProcess; port: number }> {
  const child = startAppProcess(options.entry ?? "tests/helpers/crash-server.ts", {
    ...baseEnv(),
    DATA_DIR: options.dataDir,
    STORAGE_PROVIDER: "azurite",
    AZURITE_BLOB_PORT: String(options.ports.blob),
    AZURITE_QUEUE_PORT: String(options.ports.queue),
    AZURITE_TABLE_PORT: String(options.ports.table),
    SPEECH_PROVIDER: "local",
    SPEECH_THREADS: "1",
    LOG_LEVEL: "info",
    ...options.env,
  });
  const ready = await child.waitForLine(
    (line) => line.message === "test server ready",
    options.timeoutMs ?? 60_000,
    "start-up",
  );
  return { process: child, port: Number(ready.port) };
}
