// A live-socket client for tests: collects the server's frames and says how the socket closed.
import WebSocket from "ws";
import { liveServerMessageSchema, type LiveServerMessage } from "@/lib/contract/live";

export interface LiveClient {
  ws: WebSocket;
  /** Every server frame so far, parsed with the contract (a frame it rejects fails the test). */
  messages: LiveServerMessage[];
  /** Resolves with the first frame of this type (already received or to come). */
  next<T extends LiveServerMessage["type"]>(
    type: T,
    timeoutMs?: number,
  ): Promise<Extract<LiveServerMessage, { type: T }>>;
  /** Resolves once the socket closed, with its close code. */
  closed: Promise<{ code: number; reason: string }>;
  sendJson(message: unknown): void;
  /** Sends PCM in frames of `frameSamples`, optionally paced (ms between frames). */
  sendPcm(pcm: Buffer, options?: { frameSamples?: number; paceMs?: number }): Promise<void>;
}

/** Opens `url` (ws://…/api/live); resolves once connected, rejects when the upgrade is refused. */
export function connectLive(url: string, headers: Record<string, string> = {}): Promise<LiveClient> {
  const ws = new WebSocket(url, { headers });
  const messages: LiveServerMessage[] = [];
  const waiters = new Set<() => void>();
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.on("close", (code, reason) => {
      resolve({ code, reason: reason.toString() });
      for (const wake of waiters) wake();
    });
  });
  ws.on("message", (data, isBinary) => {
    if (isBinary) throw new Error("the server sent a binary frame");
    messages.push(liveServerMessageSchema.parse(JSON.parse(String(data))));
    for (const wake of waiters) wake();
  });
  const client: LiveClient = {
    ws,
    messages,
    closed,
    next(type, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = messages.find((message) => message.type === type);
          if (found) {
            done();
            resolve(found as never);
          } else if (ws.readyState === WebSocket.CLOSED) {
            done();
            reject(new Error(`socket closed before a ${type} frame; got ${JSON.stringify(messages)}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no ${type} frame in ${timeoutMs} ms; got ${JSON.stringify(messages)}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    sendJson(message) {
      ws.send(JSON.stringify(message));
    },
    async sendPcm(pcm, options = {}) {
      const frameBytes = (options.frameSamples ?? 1_600) * 2;
      for (let at = 0; at < pcm.length; at += frameBytes) {
        if (ws.readyState !== WebSocket.OPEN) return;
        ws.send(pcm.subarray(at, at + frameBytes));
        if (options.paceMs) await new Promise((resolve) => setTimeout(resolve, options.paceMs));
      }
    },
  };
  return new Promise((resolve, reject) => {
    ws.once("open", () => resolve(client));
    ws.once("unexpected-response", (_request, response) => {
      reject(
        Object.assign(new Error(`upgrade refused: ${response.statusCode}`), { status: response.statusCode }),
      );
    });
    ws.once("error", reject);
  });
}

/** A start frame with the protocol's audio settings. */
export function startFrame(extra: Record<string, unknown> = {}) {
  return { type: "start", language: "en-US", sampleRate: 16_000, encoding: "pcm_s16le", ...extra };
}
