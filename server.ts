// Custom server: Next.js request handler plus WebSocket upgrades, with graceful shutdown.
import http from "node:http";
import type { Duplex } from "node:stream";
import next from "next";
import { gateRequest, gateUpgrade, warnAboutExposure } from "@/lib/auth/gate";
import { loadConfig, type AppConfig } from "@/lib/config";
import { logger } from "@/lib/log";
import { createLiveSocketHandler, LIVE_PATH } from "@/lib/http/live-socket";
import { createServerGuards } from "@/lib/http/server-guards";
import {
  getProcessEngine,
  startProcessServices,
  stopProcessServices,
  systemContext,
  upgradeContext,
} from "@/lib/services";
import { runProviderChecks } from "@/lib/services/provider-checks";
import {
  logConfigurationProblems,
  pruneJobs,
  recoverLiveSessions,
  runStartupTasks,
} from "@/lib/services/startup";
import { exitOnSignals } from "@/lib/util/exit-on-signals";
import { FolderInUseError } from "@/lib/util/folder-lock";

/** The caller's address: the socket's, or with a trusted proxy the first X-Forwarded-For entry. */
export function clientAddress(request: http.IncomingMessage, trustProxy: boolean): string {
  const forwarded = request.headers["x-forwarded-for"];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim();
  if (trustProxy && first) return first;
  return request.socket.remoteAddress ?? "unknown";
}

/** Starts the HTTP server and resolves once it listens; the returned function stops it. */
export async function startServer(options: {
  dev: boolean;
  config: AppConfig;
  port?: number;
  host?: string;
}) {
  const { config } = options;
  const port = options.port ?? config.server.port;
  const host = options.host ?? config.server.host;
  const app = next({ dev: options.dev, hostname: host, port });
  const handle = app.getRequestHandler();
  await app.prepare();
  const upgrade = app.getUpgradeHandler();

  // Request ids, security headers, Host, cross-site and method checks, timeouts: lib/http/server-guards.ts.
  const guards = createServerGuards({ config, signIn: config.auth.mode !== "none" });
  const server = http.createServer(guards.serverOptions, (request, response) => {
    // Per-client limits key on this; a client cannot set it itself.
    request.headers["x-client-address"] = clientAddress(request, config.server.trustProxy);
    guards.handleRequest(request, response, () => {
      // Sign-in (AUTH_MODE): a request without a session is answered here, before Next sees it.
      if (gateRequest(request, response, config)) return;
      void handle(request, response);
    });
  });
  guards.attach(server);
  const live = createLiveSocketHandler(upgradeContext);
  server.on("upgrade", (request, socket, head) =>
    guards.handleUpgrade(request, socket, () => onUpgrade(request, socket, head)),
  );
  function onUpgrade(request: http.IncomingMessage, socket: Duplex, head: Buffer) {
    if (gateUpgrade(request, socket, config)) return;
    const pathname = new URL(request.url ?? "/", "http://localhost").pathname;
    if (pathname === LIVE_PATH) {
      live.handleUpgrade(request, socket, head);
      return;
    }
    if (request.url?.startsWith("/_next/")) {
      void upgrade(request, socket, head);
      return;
    }
    socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n");
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
  logger.info("server listening", { url: `http://localhost:${port}`, dev: options.dev });
  warnAboutExposure(config, host);

  const started = Date.now();
  logConfigurationProblems(config);
  const services = startProcessServices(config);
  if (config.speech.preload && !("problem" in config.speech)) {
    const engine = getProcessEngine();
    engine
      .warmUp()
      .then(() => logger.info("speech engine ready", { engine: engine.info.id, ms: Date.now() - started }))
      .catch((error: unknown) => logger.error("speech engine failed to load", { error: String(error) }));
  }
  let housekeeping: ReturnType<typeof setInterval> | undefined;
  let liveRecovery: ReturnType<typeof setInterval> | undefined;
  services
    .then(async (built) => {
      // Once, in the background: /api/health reports the answers and never calls out itself.
      void runProviderChecks(built);
      await runStartupTasks(built, systemContext(built).owner, { queueOrphans: true });
      housekeeping = setInterval(() => void pruneJobs(built), 6 * 60 * 60 * 1000).unref();
      // Sessions cut by a restart become recordings once their clients can no longer resume them.
      liveRecovery = setInterval(() => void recoverLiveSessions(built), 10_000).unref();
      return built.storage.health();
    })
    .then((health) =>
      logger.info("storage ready", {
        provider: health.provider,
        ready: health.ready,
        ms: Date.now() - started,
      }),
    )
    .catch((error: unknown) => {
      if (error instanceof FolderInUseError) {
        // Two servers on one data folder would corrupt each other's storage: this one leaves.
        logger.error("refusing to start: the data folder is in use", { error: error.message });
        void stop().finally(() => process.exit(1));
        return;
      }
      logger.error("storage failed to start", { error: String(error) });
    });

  async function stop() {
    clearInterval(housekeeping);
    clearInterval(liveRecovery);
    // Open live sessions are saved while their clients are still there to hear `saved`.
    await services.then((built) => built.live.stopAll()).catch(() => undefined);
    live.close();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    await app.close?.();
    await stopProcessServices();
  }
  return stop;
}

async function main() {
  const config = loadConfig();
  const stop = await startServer({ dev: config.env === "development", config });
  exitOnSignals("shutting down", stop);
}

if (process.argv[1] && /(^|[\\/])server\.(ts|js)$/.test(process.argv[1])) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
