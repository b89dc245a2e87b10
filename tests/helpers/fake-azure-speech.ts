// A local stand-in for the Azure AI Speech real-time endpoint, speaking the SDK's WebSocket
// protocol (USP): text frames are header lines, a blank line and a JSON body; the client's binary
// frames are a 2-byte big-endian header length, the headers, then audio (a RIFF/WAV header first,
// an empty frame at the end). It records what arrives and answers from the audio it received, on
// a fixed script: one phrase per `phraseSec` of audio, hypotheses every `hypothesisSec`.
// The same server answers the fast transcription REST API (`fast`), as one resource does.
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import { FakeFastTranscription } from "./fake-azure-fast-transcription";

/** Offsets and durations on the wire are in 100-nanosecond ticks. */
export const TICKS_PER_SECOND = 10_000_000;
const BYTES_PER_SECOND = 16_000 * 2;
/** Silence the script puts before and after each phrase inside its stretch of audio. */
export const PHRASE_MARGIN_SEC = 0.2;

/** How the fake behaves. */
export type FakeSpeechMode =
  | { kind: "normal" }
  /** Refuses the WebSocket upgrade with this HTTP status. */
  | { kind: "reject"; status: 401 | 403 | 429 }
  /**
   * Drops the connection (no close frame) once `afterSec` of audio arrived, or when the audio ends
   * if unset, and refuses every later connection (the service went away).
   */
  | { kind: "drop"; afterSec?: number }
  /** Takes the audio but never answers after its end. */
  | { kind: "stall" }
  /** Answers a phrase with this error status once `afterSec` of audio arrived. */
  | { kind: "status"; status: "TooManyRequests" | "Forbidden" | "BadRequest" | "Error"; afterSec: number };

/** One text message the client sent. */
export interface ClientTextMessage {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** One WebSocket connection (or refused upgrade) and everything that came over it. */
export interface RecordedConnection {
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  /** The key as the SDK sent it: the `Ocp-Apim-Subscription-Key` header, else the query parameter. */
  key: string | undefined;
  /** The authorization token as the SDK sent it: the `Authorization` header, else the query parameter. */
  authorization: string | undefined;
  refused: boolean;
  texts: ClientTextMessage[];
  /** Headers of every binary (audio) message, lower-cased names. */
  audioHeaders: Array<Record<string, string>>;
  /** The RIFF/WAV header the first audio message carried. */
  wavHeader: Buffer | null;
  /** The audio bytes after the WAV header, as received. */
  audio: Buffer;
  /** The empty audio message that ends the stream arrived. */
  ended: boolean;
  /** The connection is closed (by either side). */
  closed: boolean;
  /** What this fake sent, by path, in order. */
  sent: string[];
}

/** The text of the script's phrase `index` (0-based). */
export function fakePhraseText(index: number): string {
  return `Phrase ${index + 1} of the fake service.`;
}

/** Where phrase `index` is, in seconds, given the audio it ended with (the last one may be short). */
export function fakePhraseTimes(
  index: number,
  phraseSec: number,
  totalSec = Infinity,
): { start: number; end: number } {
  const start = index * phraseSec + PHRASE_MARGIN_SEC;
  return { start, end: Math.min((index + 1) * phraseSec, totalSec) - PHRASE_MARGIN_SEC };
}

/** The segments the script gives for `totalSec` of audio (a tail shorter than 0.6 s has none). */
export function fakeSegments(
  totalSec: number,
  phraseSec: number,
  speakers = false,
): Array<{ start: number; end: number; text: string; speaker?: string }> {
  const segments = [];
  for (let index = 0; index * phraseSec + 3 * PHRASE_MARGIN_SEC <= totalSec + 1e-9; index++) {
    const times = fakePhraseTimes(index, phraseSec, totalSec);
    segments.push({
      ...times,
      text: fakePhraseText(index),
      // The app names the service's Guest-N ids Speaker N by first appearance (here the same N).
      ...(speakers ? { speaker: fakeSpeaker(index).replace("Guest-", "Speaker ") } : {}),
    });
  }
  return segments;
}

/** The speaker the script gives phrase `index` when diarization is asked for. */
export function fakeSpeaker(index: number): string {
  return `Guest-${(index % 2) + 1}`;
}

interface Session {
  record: RecordedConnection;
  socket: WebSocket;
  requestId: string;
  context: SpeechContext | null;
  detailed: boolean;
  receivedBytes: number;
  phrasesSent: number;
  hypothesesInPhrase: number;
  turnStarted: boolean;
  finished: boolean;
}

interface SpeechContext {
  phraseDetection?: { language?: string; speakerDiarization?: unknown };
  phraseOutput?: { format?: string };
  languageId?: { languages?: string[] };
}

export class FakeAzureSpeech {
  readonly connections: RecordedConnection[] = [];
  /** The fast transcription REST API on the same host. */
  readonly fast = new FakeFastTranscription();
  /** What the fake does; tests change it between cases. */
  mode: FakeSpeechMode = { kind: "normal" };
  /** Seconds of audio per phrase of the script. */
  phraseSec = 2;
  /** Seconds of audio between two hypotheses of the open phrase. */
  hypothesisSec = 0.5;
  /** When set, any other key is refused with 401, as the service does. */
  expectedKey: string | undefined;
  /** The language a detection answers (default: the first candidate). */
  detectedLanguage: string | undefined;

  private refusing = false;
  private readonly wss = new WebSocketServer({ noServer: true });

  private constructor(
    private readonly server: http.Server,
    /** `ws://127.0.0.1:PORT` */
    readonly url: string,
  ) {
    server.on("upgrade", (request: http.IncomingMessage, socket: Duplex, head: Buffer) =>
      this.upgrade(request, socket, head),
    );
  }

  static async start(): Promise<FakeAzureSpeech> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const fake = new FakeAzureSpeech(server, `ws://127.0.0.1:${port}`);
    server.on("request", (request: http.IncomingMessage, response: http.ServerResponse) => {
      if (!fake.fast.handles(request)) {
        response.writeHead(404).end();
        return;
      }
      fake.fast.handle(request, response).catch(() => response.destroy());
    });
    return fake;
  }

  /** An endpoint URL for `SpeechConfig.fromEndpoint` (with a path: a bare host makes the SDK look up a redirect). */
  endpoint(path = "/speech/recognition/conversation/cognitiveservices/v1"): string {
    return `${this.url}${path}`;
  }

  /** Forgets the connections and goes back to the default behaviour. */
  reset(): void {
    for (const client of this.wss.clients) client.terminate();
    this.connections.length = 0;
    this.mode = { kind: "normal" };
    this.phraseSec = 2;
    this.hypothesisSec = 0.5;
    this.expectedKey = undefined;
    this.detectedLanguage = undefined;
    this.refusing = false;
    this.fast.reset();
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private upgrade(request: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? "/", "http://fake");
    const header = request.headers["ocp-apim-subscription-key"];
    const authorization = request.headers.authorization ?? url.searchParams.get("Authorization") ?? undefined;
    const record: RecordedConnection = {
      path: url.pathname,
      query: url.searchParams,
      headers: request.headers,
      key:
        (Array.isArray(header) ? header[0] : header) ??
        url.searchParams.get("Ocp-Apim-Subscription-Key") ??
        undefined,
      authorization,
      refused: false,
      texts: [],
      audioHeaders: [],
      wavHeader: null,
      audio: Buffer.alloc(0),
      ended: false,
      closed: false,
      sent: [],
    };
    this.connections.push(record);
    if (this.refusing) {
      record.refused = true;
      record.closed = true;
      socket.destroy();
      return;
    }
    const status =
      this.mode.kind === "reject"
        ? this.mode.status
        : this.expectedKey !== undefined && record.key !== this.expectedKey
          ? 401
          : null;
    if (status !== null) {
      record.refused = true;
      record.closed = true;
      socket.end(
        `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
      );
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      const session: Session = {
        record,
        socket: ws,
        requestId: "",
        context: null,
        detailed: url.searchParams.get("format") === "detailed",
        receivedBytes: 0,
        phrasesSent: 0,
        hypothesesInPhrase: 0,
        turnStarted: false,
        finished: false,
      };
      ws.on("close", () => (record.closed = true));
      ws.on("message", (data: Buffer, isBinary: boolean) => {
        if (isBinary) this.onAudio(session, data);
        else this.onText(session, data.toString("utf8"));
      });
    });
  }

  private onText(session: Session, raw: string): void {
    const split = raw.indexOf("\r\n\r\n");
    const headers = parseHeaders(split >= 0 ? raw.slice(0, split) : raw);
    const body = split >= 0 ? raw.slice(split + 4) : "";
    const path = headers.path ?? "";
    session.record.texts.push({ path, headers, body });
    if (headers["x-requestid"]) session.requestId = headers["x-requestid"];
    if (path === "speech.context") {
      session.context = JSON.parse(body) as SpeechContext;
      if (session.context.phraseOutput?.format === "Detailed") session.detailed = true;
    }
  }

  private onAudio(session: Session, data: Buffer): void {
    const headerLength = data.readUInt16BE(0);
    const headers = parseHeaders(data.subarray(2, 2 + headerLength).toString("latin1"));
    const body = data.subarray(2 + headerLength);
    const { record } = session;
    record.audioHeaders.push(headers);
    if (headers["x-requestid"]) session.requestId = headers["x-requestid"];
    if (headers["content-type"] === "audio/x-wav") {
      record.wavHeader = Buffer.from(body);
      if (!session.turnStarted) {
        session.turnStarted = true;
        this.send(session, "turn.start", { context: { serviceTag: randomUUID().replace(/-/g, "") } });
      }
      return;
    }
    if (body.length === 0) {
      record.ended = true;
      this.onEnd(session);
      return;
    }
    record.audio = Buffer.concat([record.audio, body]);
    session.receivedBytes += body.length;
    this.onProgress(session);
  }

  /** Answers for the audio received so far: hypotheses of the open phrase, phrases it completed. */
  private onProgress(session: Session): void {
    const mode = this.mode;
    const receivedSec = session.receivedBytes / BYTES_PER_SECOND;
    if (mode.kind === "drop" && mode.afterSec !== undefined && receivedSec >= mode.afterSec) {
      this.drop(session);
      return;
    }
    if (mode.kind === "status" && receivedSec >= mode.afterSec) {
      if (!session.finished) {
        session.finished = true;
        this.send(session, "speech.phrase", { RecognitionStatus: mode.status, Offset: 0, Duration: 0 });
      }
      return;
    }
    if (session.finished) return;
    while (receivedSec >= (session.phrasesSent + 1) * this.phraseSec) {
      this.sendPhrase(session, receivedSec);
    }
    const phraseStart = session.phrasesSent * this.phraseSec + PHRASE_MARGIN_SEC;
    const heard = receivedSec - phraseStart;
    while (heard >= (session.hypothesesInPhrase + 1) * this.hypothesisSec) {
      session.hypothesesInPhrase++;
      this.sendHypothesis(
        session,
        phraseStart,
        phraseStart + session.hypothesesInPhrase * this.hypothesisSec,
      );
    }
  }

  private onEnd(session: Session): void {
    const mode = this.mode;
    if (mode.kind === "drop" && mode.afterSec === undefined) {
      this.drop(session);
      return;
    }
    if (mode.kind === "stall" || session.finished) return;
    const totalSec = session.receivedBytes / BYTES_PER_SECOND;
    if (totalSec - session.phrasesSent * this.phraseSec >= 3 * PHRASE_MARGIN_SEC - 1e-9) {
      this.sendPhrase(session, totalSec);
    }
    session.finished = true;
    this.send(session, "speech.endDetected", { Offset: Math.round(totalSec * TICKS_PER_SECOND) });
    this.send(session, "turn.end", {});
  }

  private sendPhrase(session: Session, receivedSec: number): void {
    const index = session.phrasesSent;
    if (index === 0) {
      this.send(session, "speech.startDetected", { Offset: ticks(PHRASE_MARGIN_SEC) });
    }
    const { start, end } = fakePhraseTimes(index, this.phraseSec, receivedSec);
    const display = fakePhraseText(index);
    const lexical = lexicalOf(display);
    const phrase: Record<string, unknown> = {
      Id: randomUUID().replace(/-/g, ""),
      RecognitionStatus: "Success",
      Offset: ticks(start),
      Duration: ticks(end - start),
      Channel: 0,
      ...this.speakerAndLanguage(session, fakeSpeaker(index)),
    };
    phrase.DisplayText = display;
    if (session.detailed) {
      phrase.NBest = [
        { Confidence: 0.93, Lexical: lexical, ITN: lexical, MaskedITN: lexical, Display: display },
      ];
    }
    this.send(session, "speech.phrase", phrase);
    session.phrasesSent++;
    session.hypothesesInPhrase = 0;
  }

  private sendHypothesis(session: Session, start: number, until: number): void {
    const words = lexicalOf(fakePhraseText(session.phrasesSent)).split(" ");
    const text = words.slice(0, Math.min(words.length, session.hypothesesInPhrase)).join(" ");
    this.send(session, "speech.hypothesis", {
      Id: randomUUID().replace(/-/g, ""),
      Text: text,
      Offset: ticks(start),
      Duration: ticks(until - start),
      Channel: 0,
      ...this.speakerAndLanguage(session, "Unknown"),
    });
  }

  private speakerAndLanguage(session: Session, speaker: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (session.context?.phraseDetection?.speakerDiarization) out.SpeakerId = speaker;
    const candidates = session.context?.languageId?.languages;
    if (candidates && candidates.length > 0) {
      out.PrimaryLanguage = { Language: this.detectedLanguage ?? candidates[0], Confidence: "High" };
    }
    return out;
  }

  private drop(session: Session): void {
    this.refusing = true;
    session.finished = true;
    session.socket.terminate();
  }

  private send(session: Session, path: string, body: unknown): void {
    session.record.sent.push(path);
    const head = [
      `Path: ${path}`,
      `X-RequestId: ${session.requestId}`,
      `Content-Type: application/json; charset=utf-8`,
    ].join("\r\n");
    session.socket.send(`${head}\r\n\r\n${JSON.stringify(body)}`);
  }
}

function parseHeaders(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of text.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

function lexicalOf(display: string): string {
  return display.replace(/[.,!?]/g, "").toLowerCase();
}

function ticks(seconds: number): number {
  return Math.round(seconds * TICKS_PER_SECOND);
}
