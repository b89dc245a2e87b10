// A local stand-in for a Whisper-style transcription service (OpenAI, Azure OpenAI and
// OpenAI-compatible servers), speaking their wire format over real HTTP: multipart uploads,
// `verbose_json` answers derived from the received WAV, and error bodies.
import type http from "node:http";
import { closeServer, listenOnLoopback } from "./loopback-server";

/** One transcription request the fake received. */
export interface RecordedSpeechRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  /** The multipart text fields (repeated fields joined with commas). */
  fields: Record<string, string>;
  fileName?: string;
  /** Bytes of the uploaded file. */
  fileBytes: number;
  /** Seconds of audio in the uploaded WAV (from its header). */
  durationSec: number;
}

/** What the fake answers: a transcription, an HTTP error, or a dropped connection. */
export type FakeSpeechReply =
  /** A transcription, sent after `delayMs` when given. */
  | { ok: true; delayMs?: number }
  | { status: number; message?: string; headers?: Record<string, string> }
  | { drop: true };

export type FakeSpeechHandler = (request: RecordedSpeechRequest, index: number) => FakeSpeechReply;

/** Seconds of audio each fake segment covers. */
export const FAKE_SEGMENT_SEC = 5;

const azurePath = /^\/openai\/deployments\/([^/]+)\/audio\/transcriptions$/;

export class FakeOpenAiSpeech {
  readonly requests: RecordedSpeechRequest[] = [];
  /** Decides each answer; tests replace it. */
  handler: FakeSpeechHandler = () => ({ ok: true });
  /** Whisper's name of the language it reports. */
  language = "english";
  private answered = 0;

  private constructor(
    private readonly server: http.Server,
    /** `http://127.0.0.1:PORT` */
    readonly url: string,
  ) {}

  static async start(): Promise<FakeOpenAiSpeech> {
    const { server, url } = await listenOnLoopback();
    const fake = new FakeOpenAiSpeech(server, url);
    server.on("request", (request: http.IncomingMessage, response: http.ServerResponse) => {
      void fake.handle(request, response);
    });
    return fake;
  }

  /** Forgets recorded requests and goes back to the default answer. */
  reset(): void {
    this.requests.length = 0;
    this.handler = () => ({ ok: true });
    this.language = "english";
    this.answered = 0;
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(request.url ?? "/", this.url);
    const azure = azurePath.exec(url.pathname);
    const known = azure
      ? Boolean(url.searchParams.get("api-version"))
      : url.pathname === "/v1/audio/transcriptions";
    if (request.method !== "POST" || !known) {
      return sendJson(response, 404, { error: { code: "404", message: "Resource not found" } });
    }

    const fields: Record<string, string> = {};
    let file: File | undefined;
    try {
      const form = await new Request(url, {
        method: "POST",
        headers: { "content-type": request.headers["content-type"] ?? "" },
        body: raw,
      }).formData();
      for (const [name, value] of form.entries()) {
        if (typeof value === "string") fields[name] = fields[name] ? `${fields[name]},${value}` : value;
        else file = value;
      }
    } catch {
      // Not multipart: answered below as a missing file.
    }
    const wav = file ? Buffer.from(await file.arrayBuffer()) : Buffer.alloc(0);
    const recorded: RecordedSpeechRequest = {
      method: request.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: request.headers,
      fields,
      fileName: file?.name,
      fileBytes: wav.length,
      durationSec: wavDuration(wav),
    };
    this.requests.push(recorded);

    if (!file || Number.isNaN(recorded.durationSec)) {
      return sendError(response, 400, "Could not process the audio file: it is missing or not a WAV file.");
    }
    const reply = this.handler(recorded, this.requests.length - 1);
    if ("drop" in reply) {
      request.socket.destroy();
      return;
    }
    if ("status" in reply) {
      return sendError(
        response,
        reply.status,
        reply.message ?? `The fake answered ${reply.status}.`,
        reply.headers,
      );
    }
    if (reply.delayMs) {
      const delayMs = reply.delayMs;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delayMs);
        response.once("close", () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    if (response.destroyed) return;
    const piece = ++this.answered;
    const duration = recorded.durationSec;
    const count = Math.max(1, Math.ceil(duration / FAKE_SEGMENT_SEC));
    const segments = Array.from({ length: count }, (_, index) => ({
      id: index,
      seek: index * FAKE_SEGMENT_SEC * 100,
      start: index * FAKE_SEGMENT_SEC,
      end: Math.min(duration, (index + 1) * FAKE_SEGMENT_SEC),
      text: ` ${fakeSpeechText(piece, index + 1)}`,
      tokens: [50364, 400 + index, 50614],
      temperature: 0,
      avg_logprob: -0.2,
      compression_ratio: 1.1,
      no_speech_prob: 0.01,
    }));
    return sendJson(response, 200, {
      task: "transcribe",
      language: this.language,
      duration,
      text: segments.map((segment) => segment.text).join(""),
      segments,
    });
  }
}

/** The text of segment `segment` (from 1) in the fake's `piece`-th transcription (from 1). */
export function fakeSpeechText(piece: number, segment: number): string {
  return `Piece ${piece} segment ${segment}.`;
}

/** Seconds of audio in a 16-bit PCM WAV (NaN when it is not one). */
function wavDuration(wav: Buffer): number {
  if (wav.length < 44 || wav.toString("ascii", 0, 4) !== "RIFF" || wav.toString("ascii", 8, 12) !== "WAVE") {
    return Number.NaN;
  }
  const rate = wav.readUInt32LE(24);
  const channels = wav.readUInt16LE(22);
  const bits = wav.readUInt16LE(34);
  const dataBytes = Math.min(wav.readUInt32LE(40), wav.length - 44);
  return dataBytes / (rate * channels * (bits / 8));
}

function sendError(
  response: http.ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  const type =
    status === 429 ? "rate_limit_exceeded" : status < 500 ? "invalid_request_error" : "server_error";
  response.writeHead(status, { "Content-Type": "application/json", ...headers });
  response.end(
    JSON.stringify({
      error: { message, type, param: null, code: status === 401 ? "invalid_api_key" : String(status) },
    }),
  );
}

function sendJson(response: http.ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "Content-Type": "application/json" });
  response.end(JSON.stringify(body));
}
