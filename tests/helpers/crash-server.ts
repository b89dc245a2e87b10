// A server process for tests that kill it: the app's services, started and tidied the way
// server.ts does, behind a bare node:http listener that hands requests to the route handlers
// (no Next build needed), and the live socket. Run as `node --import tsx tests/helpers/crash-server.ts` with the app's
// environment. It listens on a free port of HOST (loopback by default) and prints one JSON line `{"message":"test server ready",
// "port":…}` once it takes requests; SIGTERM stops it as the real server stops.
import http from "node:http";
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { GET as getTranscription } from "@/app/api/transcriptions/[id]/route";
import { POST as postTranscription } from "@/app/api/transcriptions/route";
import { GET as listJobs } from "@/app/api/jobs/route";
import { GET as getHealth } from "@/app/api/health/route";
import { POST as signIn } from "@/app/api/auth/sign-in/route";
import { POST as signOut } from "@/app/api/auth/sign-out/route";
import { GET as getSession } from "@/app/api/auth/session/route";
import { gateRequest, gateUpgrade, warnAboutExposure } from "@/lib/auth/gate";
import { loadConfig } from "@/lib/config";
import { createLiveSocketHandler, LIVE_PATH } from "@/lib/http/live-socket";
import {
  getProcessEngine,
  startProcessServices,
  stopProcessServices,
  systemContext,
  upgradeContext,
} from "@/lib/services";
import { runProviderChecks } from "@/lib/services/provider-checks";
import { logConfigurationProblems, recoverLiveSessions, runStartupTasks } from "@/lib/services/startup";

type Handler = (request: Request, match: RegExpExecArray) => Promise<Response>;

const routes: Array<{ method: string; path: RegExp; handle: Handler }> = [
  { method: "POST", path: /^\/api\/transcriptions$/, handle: (request) => postTranscription(request, {}) },
  { method: "GET", path: /^\/api\/jobs$/, handle: (request) => listJobs(request, {}) },
  { method: "GET", path: /^\/api\/health$/, handle: (request) => getHealth(request, {}) },
  { method: "POST", path: /^\/api\/auth\/sign-in$/, handle: (request) => signIn(request, {}) },
  { method: "POST", path: /^\/api\/auth\/sign-out$/, handle: (request) => signOut(request, {}) },
  { method: "GET", path: /^\/api\/auth\/session$/, handle: (request) => getSession(request, {}) },
  {
    method: "GET",
    path: /^\/api\/transcriptions\/([^/]+)$/,
    handle: (request, match) =>
      getTranscription(request, { params: Promise.resolve({ id: decodeURIComponent(match[1]!) }) }),
  },
];

function toRequest(incoming: http.IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (typeof value === "string") headers.set(name, value);
    else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
  }
  const hasBody = incoming.method !== "GET" && incoming.method !== "HEAD";
  return new Request(`http://127.0.0.1${incoming.url ?? "/"}`, {
    method: incoming.method,
    headers,
    body: hasBody ? (Readable.toWeb(incoming) as ReadableStream<Uint8Array>) : undefined,
    duplex: "half",
  } as RequestInit);
}

async function answer(incoming: http.IncomingMessage, outgoing: http.ServerResponse): Promise<void> {
  const pathname = new URL(incoming.url ?? "/", "http://127.0.0.1").pathname;
  for (const route of routes) {
    const match = route.path.exec(pathname);
    if (!match || route.method !== incoming.method) continue;
    const response = await route.handle(toRequest(incoming), match);
    outgoing.writeHead(response.status, Object.fromEntries(response.headers));
    if (response.body) {
      Readable.fromWeb(response.body as WebReadableStream<Uint8Array>).pipe(outgoing);
    } else {
      outgoing.end();
    }
    return;
  }
  outgoing.writeHead(404).end();
}

async function main(): Promise<void> {
  const config = loadConfig();
  logConfigurationProblems(config);
  const services = await startProcessServices(config);
  if (config.speech.preload && !("problem" in config.speech)) await getProcessEngine().warmUp();
  // The server's own start-up work (server.ts), without Next.
  void runProviderChecks(services);
  await runStartupTasks(services, systemContext(services).owner, { queueOrphans: true });

  const server = http.createServer((incoming, outgoing) => {
    incoming.headers["x-client-address"] = incoming.socket.remoteAddress ?? "unknown";
    if (gateRequest(incoming, outgoing, config)) return;
    answer(incoming, outgoing).catch((error: unknown) => {
      outgoing.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  });
  const live = createLiveSocketHandler(upgradeContext);
  server.on("upgrade", (request, socket, head) => {
    if (gateUpgrade(request, socket, config)) return;
    if (new URL(request.url ?? "/", "http://127.0.0.1").pathname === LIVE_PATH) {
      live.handleUpgrade(request, socket, head);
    } else {
      socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n");
    }
  });
  const liveRecovery = setInterval(() => void recoverLiveSessions(services), 1_000);
  await new Promise<void>((resolve) => server.listen(0, config.server.host, resolve));
  const { port, address } = server.address() as { port: number; address: string };
  warnAboutExposure(config, config.server.host);
  process.stdout.write(
    JSON.stringify({ message: "test server ready", port, address, pid: process.pid }) + "\n",
  );

  process.once("SIGTERM", () => {
    clearInterval(liveRecovery);
    live.close();
    server.close();
    server.closeAllConnections();
    void stopProcessServices().then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
