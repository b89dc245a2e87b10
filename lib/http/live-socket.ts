// WS /api/live: live transcription over a WebSocket (the protocol is in lib/contract/live.ts).
import type http from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import {
  LIVE_MAX_FRAME_BYTES,
  liveClientMessageSchema,
  liveStartSchema,
  type LiveErrorCode,
  type LiveServerMessage,
} from "@/lib/contract/live";
import { toAppError } from "@/lib/domain/errors";
import { logger } from "@/lib/log";
import type { ServiceContext } from "@/lib/services/context";
import { liveCode, type LiveListener, type LiveSession } from "@/lib/services/live-sessions";

/** Path of the live socket. */
export const LIVE_PATH = "/api/live";
/** How long a new connection may take to send `start`. */
const START_TIMEOUT_MS = 10_000;
/** Pings find connections that vanished without a close (a sleeping laptop, a cut cable). */
const PING_EVERY_MS = 15_000;

const closeCodes: Record<LiveErrorCode, number> = {
  invalid_message: 1008,
  unsupported_audio: 1003,
  audio_before_start: 1008,
  frame_too_large: 1009,
  session_too_long: 1008,
  audio_too_fast: 1008,
  too_many_sessions: 1013,
  session_not_found: 1008,
  engine_unavailable: 1011,
  engine_failed: 1011,
  storage_unavailable: 1011,
  internal: 1011,
};

/** Handles upgrades to {@link LIVE_PATH}; `close` ends every connection (their sessions wait to be resumed). */
export interface LiveSocketHandler {
  handleUpgrade(request: http.IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): void;
}

/** Builds the handler; `contextOf` gives the services and owner of an upgrade request. */
export function createLiveSocketHandler(
  contextOf: (request: http.IncomingMessage) => Promise<ServiceContext>,
): LiveSocketHandler {
  // Frames over the limit still arrive (to be answered with `frame_too_large`) up to this size.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * LIVE_MAX_FRAME_BYTES });
  const alive = new WeakMap<WebSocket, boolean>();
  const pinger = setInterval(() => {
    for (const ws of wss.clients) {
      if (alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, PING_EVERY_MS);
  pinger.unref();

  return {
    handleUpgrade(request, socket, head) {
      if (!isSameOrigin(request)) {
        rejectUpgrade(
          socket,
          403,
          "forbidden_origin",
          "Live transcription is only open to this site's own pages.",
        );
        return;
      }
      wss.handleUpgrade(request, socket, head, (ws) => {
        alive.set(ws, true);
        ws.on("pong", () => alive.set(ws, true));
        serveConnection(ws, contextOf(request));
      });
    },
    close() {
      clearInterval(pinger);
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}

/** One connection: `start`, audio frames, `stop`; each failure ends in `error` and a clean close. */
function serveConnection(ws: WebSocket, context: Promise<ServiceContext>): void {
  let session: LiveSession | null = null;
  /** Session sample offset of the next audio frame. */
  let nextSample = 0;
  let stopping = false;
  let closeCode = 1000;
  let work: Promise<void> = Promise.resolve();

  const send = (message: LiveServerMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };
  const listener: LiveListener = (message) => {
    send(message);
    if (message.type === "error") closeCode = closeCodes[message.code];
    // `saved` is a session's last frame; an error the session raises itself after it stopped is too.
    if (message.type === "saved" || (message.type === "error" && session && !session.open)) {
      ws.close(closeCode);
    }
  };
  /** Sends the error; a session keeps what it received and is saved, and `saved` closes the socket. */
  const fail = (code: LiveErrorCode, message: string) => {
    send({ type: "error", code, message });
    closeCode = closeCodes[code];
    stopping = true;
    if (session) {
      void session.stop().catch(() => ws.close(closeCode));
    } else {
      ws.close(closeCode);
    }
  };

  const startTimer = setTimeout(
    () => fail("invalid_message", "No start message arrived; send it first."),
    START_TIMEOUT_MS,
  );

  const handle = async (data: RawData, isBinary: boolean): Promise<void> => {
    if (stopping) return;
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    if (!session) {
      clearTimeout(startTimer);
      if (isBinary) return fail("audio_before_start", "Send the start message before any audio.");
      const start = parseStart(bytes.toString("utf8"));
      if ("error" in start) return fail(start.error, start.message);
      try {
        const ctx = await context;
        session = await ctx.services.live.open(ctx, start.value, listener);
      } catch (error) {
        const failure = toAppError(error);
        return fail(liveCode(failure), failure.message);
      }
      nextSample = start.value.resume?.offset ?? session.offset;
      send({ type: "ready", sessionId: session.id, offset: session.offset });
      return;
    }
    if (isBinary) {
      if (bytes.length > LIVE_MAX_FRAME_BYTES || bytes.length % 2 !== 0) {
        return fail(
          "frame_too_large",
          `Audio frames must be whole 16-bit samples and at most ${LIVE_MAX_FRAME_BYTES} bytes; this one has ${bytes.length}.`,
        );
      }
      const at = nextSample;
      nextSample += bytes.length / 2;
      try {
        session.write(bytes, at);
      } catch (error) {
        const failure = toAppError(error);
        return fail(liveCode(failure), failure.message);
      }
      return;
    }
    const parsed = parseClientMessage(bytes.toString("utf8"));
    if (parsed?.type !== "stop") {
      return fail("invalid_message", "After start, send audio frames and then a stop message.");
    }
    stopping = true;
    await session.stop().catch(() => undefined);
  };

  ws.on("message", (data, isBinary) => {
    work = work
      .then(() => handle(data, isBinary))
      .catch((error: unknown) => {
        logger.error("live socket failed", { error: String(error) });
        fail("internal", "Something went wrong on the server.");
      });
  });
  ws.on("close", () => {
    clearTimeout(startTimer);
    // Without `stop`, the session waits for the client to resume it.
    void work.then(() => {
      if (session && !stopping) session.detach(listener);
    });
  });
  ws.on("error", (error) => logger.debug("live socket error", { error: String(error) }));
}

type StartResult =
  { value: ReturnType<typeof liveStartSchema.parse> } | { error: LiveErrorCode; message: string };

function parseStart(text: string): StartResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { error: "invalid_message", message: "The first message must be a JSON start message." };
  }
  if ((json as { type?: unknown } | null)?.type !== "start") {
    return { error: "invalid_message", message: "The first message must be a start message." };
  }
  const result = liveStartSchema.safeParse(json);
  if (result.success) return { value: result.data };
  const issue = result.error.issues[0]!;
  const field = issue.path.join(".");
  if (field === "sampleRate" || field === "encoding") {
    return {
      error: "unsupported_audio",
      message: `Audio must be 16 kHz 16-bit PCM: ${field} ${issue.message}.`,
    };
  }
  return {
    error: "invalid_message",
    message: `The start message is not valid: ${field || "it"} ${issue.message}.`,
  };
}

function parseClientMessage(text: string) {
  try {
    const result = liveClientMessageSchema.safeParse(JSON.parse(text));
    return result.success ? result.data : null;
  } catch {
    return null;
  }
}

/**
 * Browsers always send Origin on a WebSocket: it must be this site's own (a page elsewhere cannot
 * open a session in a visitor's name). Clients that are not browsers send none.
 */
export function isSameOrigin(request: http.IncomingMessage): boolean {
  const origin = request.headers.origin;
  if (!origin) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

function rejectUpgrade(socket: Duplex, status: number, code: string, message: string): void {
  const body = JSON.stringify({ error: { code, message } });
  socket.end(
    `HTTP/1.1 ${status} ${status === 403 ? "Forbidden" : "Bad Request"}\r\n` +
      "Content-Type: application/json\r\n" +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      "Connection: close\r\n\r\n" +
      body,
  );
}
