// A local stand-in for Azure AI Speech's fast transcription REST API (`POST
// /speechtotext/transcriptions:transcribe?api-version=2024-11-15`, multipart fields `audio` and
// `definition`), answering in its documented JSON. It reads the WAV it receives and answers one
// phrase per stretch of sound (frames above a fixed level, gaps under 0.3 s bridged), so what it
// says depends on the audio sent. Scripted failures (`failures`) answer the next requests first.
import type http from "node:http";

/** Length of one level frame. */
const FRAME_SEC = 0.02;
/** A frame louder than this RMS (of full scale) is sound. */
const SOUND_RMS = 0.02;
/** Quiet shorter than this inside sound does not end a phrase. */
const BRIDGE_SEC = 0.3;
/** Sound shorter than this is not a phrase. */
const MIN_PHRASE_SEC = 0.1;

const API_PATH = "/speechtotext/transcriptions:transcribe";
const API_VERSIONS = ["2024-11-15", "2025-10-15"];
const PROFANITY_MODES = ["None", "Masked", "Removed", "Tags"];

/** A scripted answer for one request instead of a transcription. */
export interface ScriptedFailure {
  status: number;
  /** `Retry-After` header value (seconds or an HTTP date). */
  retryAfter?: string;
}

/** The WAV file of a request, as the fake decoded it. */
export interface ReceivedAudio {
  fileName: string;
  contentType: string;
  bytes: number;
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  samples: number;
  durationMs: number;
  /** The 16-bit samples (first channel). */
  pcm: Int16Array;
}

/** One request and what the fake answered. */
export interface RecordedTranscription {
  /** When it arrived (ms since the epoch). */
  at: number;
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  key: string | undefined;
  authorization: string | undefined;
  /** The `definition` field as sent, and parsed when it was JSON. */
  rawDefinition: string | null;
  definition: FastDefinition | null;
  audio: ReceivedAudio | null;
  status: number;
  answer: unknown;
}

/** The documented `definition` properties the fake understands. */
export interface FastDefinition {
  locales?: string[];
  profanityFilterMode?: string;
  diarization?: { enabled?: boolean; maxSpeakers?: number };
  channels?: number[];
}

/** A phrase of the documented answer. */
export interface FastPhrase {
  channel?: number;
  speaker?: number;
  offsetMilliseconds: number;
  durationMilliseconds: number;
  text: string;
  words: Array<{ text: string; offsetMilliseconds: number; durationMilliseconds: number }>;
  locale: string;
  confidence: number;
}

/** The text of the fake's phrase `index` (0-based). */
export function fastPhraseText(index: number): string {
  return `Phrase ${index + 1} of the fake service.`;
}

/** The service's speaker number of phrase `index` with diarization up to `maxSpeakers`. */
export function fastSpeaker(index: number, maxSpeakers: number): number {
  // Not in order of appearance (the service promises no order): the second speaker comes first.
  return (index + 1) % maxSpeakers;
}

export class FakeFastTranscription {
  readonly requests: RecordedTranscription[] = [];
  /** False: the endpoint answers 404, as a speech container or a region without the API does. */
  offered = true;
  /** Answers for the next requests, in order, before transcriptions. */
  failures: ScriptedFailure[] = [];
  /** When set, any other key is refused with 401. */
  expectedKey: string | undefined;
  /** When set, a Bearer token other than this one is refused with 401. */
  expectedToken: string | undefined;
  /** The locale a detection among several candidates answers (default: the first candidate). */
  detectedLanguage: string | undefined;

  /** Forgets the requests and goes back to the default behaviour. */
  reset(): void {
    this.requests.length = 0;
    this.offered = true;
    this.failures = [];
    this.expectedKey = undefined;
    this.expectedToken = undefined;
    this.detectedLanguage = undefined;
  }

  /** Answers a request if it is for the API; false when it is not (the caller answers it). */
  handles(request: http.IncomingMessage): boolean {
    return new URL(request.url ?? "/", "http://fake").pathname === API_PATH;
  }

  async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://fake");
    const body = await readBody(request);
    const keyHeader = request.headers["ocp-apim-subscription-key"];
    const record: RecordedTranscription = {
      at: Date.now(),
      method: request.method ?? "",
      path: url.pathname,
      query: url.searchParams,
      headers: request.headers,
      key: Array.isArray(keyHeader) ? keyHeader[0] : keyHeader,
      authorization: request.headers.authorization,
      rawDefinition: null,
      definition: null,
      audio: null,
      status: 0,
      answer: null,
    };
    this.requests.push(record);
    const answer = await this.answer(record, request, body);
    record.status = answer.status;
    record.answer = answer.body;
    response.writeHead(answer.status, {
      "Content-Type": "application/json; charset=utf-8",
      ...answer.headers,
    });
    response.end(JSON.stringify(answer.body));
  }

  private async answer(
    record: RecordedTranscription,
    request: http.IncomingMessage,
    body: Buffer,
  ): Promise<{ status: number; body: unknown; headers?: Record<string, string> }> {
    if (!this.offered)
      return { status: 404, body: { error: { code: "404", message: "Resource not found" } } };
    if (!this.authorized(record)) {
      return {
        status: 401,
        body: {
          error: {
            code: "401",
            message:
              "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.",
          },
        },
      };
    }
    const failure = this.failures.shift();
    if (failure) {
      return {
        status: failure.status,
        body: serviceError(failure.status, "Scripted failure."),
        headers: failure.retryAfter !== undefined ? { "Retry-After": failure.retryAfter } : {},
      };
    }
    if (record.method !== "POST") return invalid(405, "Only POST is allowed.");
    if (!API_VERSIONS.includes(record.query.get("api-version") ?? "")) {
      return invalid(400, "Missing or unsupported api-version.");
    }
    const contentType = request.headers["content-type"] ?? "";
    if (!contentType.startsWith("multipart/form-data")) return invalid(415, "Expected multipart/form-data.");
    let form: FormData;
    try {
      form = await new Request("http://fake/", {
        method: "POST",
        headers: { "content-type": contentType },
        body: new Uint8Array(body),
      }).formData();
    } catch {
      return invalid(400, "The multipart body could not be read.");
    }
    const definitionField = form.get("definition");
    if (typeof definitionField !== "string") return invalid(400, "The definition field is missing.");
    record.rawDefinition = definitionField;
    let definition: FastDefinition;
    try {
      definition = JSON.parse(definitionField) as FastDefinition;
    } catch {
      return invalid(400, "The definition is not JSON.");
    }
    const problem = definitionProblem(definition);
    if (problem) return invalid(400, problem);
    record.definition = definition;
    const audioField = form.get("audio");
    if (!(audioField instanceof Blob)) return invalid(400, "The audio field is missing.");
    const audio = decodeWav(Buffer.from(await audioField.arrayBuffer()));
    if (!audio) return invalid(422, "The audio could not be decoded.", "InvalidAudioFormat");
    record.audio = {
      ...audio,
      fileName: audioField instanceof File ? audioField.name : "",
      contentType: audioField.type,
      bytes: audioField.size,
    };
    return { status: 200, body: this.transcription(definition, record.audio) };
  }

  private authorized(record: RecordedTranscription): boolean {
    if (record.key !== undefined) return this.expectedKey === undefined || record.key === this.expectedKey;
    const bearer = /^Bearer (.+)$/.exec(record.authorization ?? "")?.[1];
    if (bearer === undefined) return false;
    return this.expectedToken === undefined || bearer === this.expectedToken;
  }

  /** The documented answer for the audio: a phrase per stretch of sound. */
  private transcription(definition: FastDefinition, audio: ReceivedAudio) {
    const locales = definition.locales ?? [];
    const locale = locales.length === 1 ? locales[0]! : (this.detectedLanguage ?? locales[0] ?? "en-US");
    const diarize = definition.diarization?.enabled === true;
    const maxSpeakers = definition.diarization?.maxSpeakers ?? 2;
    const phrases: FastPhrase[] = soundRegions(audio).map(([start, end], index) => {
      const text = fastPhraseText(index);
      const words = text.split(" ");
      const step = Math.floor((end - start) / words.length);
      return {
        ...(diarize ? { channel: 0, speaker: fastSpeaker(index, maxSpeakers) } : {}),
        offsetMilliseconds: start,
        durationMilliseconds: end - start,
        text,
        words: words.map((word, at) => ({
          text: word,
          offsetMilliseconds: start + at * step,
          durationMilliseconds: at === words.length - 1 ? end - start - at * step : step,
        })),
        locale,
        confidence: 0.93,
      };
    });
    return {
      durationMilliseconds: audio.durationMs,
      combinedPhrases: [
        { ...(diarize ? { channel: 0 } : {}), text: phrases.map((phrase) => phrase.text).join(" ") },
      ],
      phrases,
    };
  }
}

/** Stretches of sound in the audio, in whole milliseconds `[start, end]`. */
export function soundRegions(audio: Pick<ReceivedAudio, "pcm" | "sampleRate">): Array<[number, number]> {
  const frame = Math.round(audio.sampleRate * FRAME_SEC);
  const loud: boolean[] = [];
  for (let at = 0; at + frame <= audio.pcm.length; at += frame) {
    let sum = 0;
    for (let i = at; i < at + frame; i++) sum += (audio.pcm[i]! / 32768) ** 2;
    loud.push(Math.sqrt(sum / frame) > SOUND_RMS);
  }
  const regions: Array<[number, number]> = [];
  let open: number | null = null;
  let lastLoud = -1;
  const bridge = Math.round(BRIDGE_SEC / FRAME_SEC);
  const close = () => {
    if (open !== null && (lastLoud + 1 - open) * FRAME_SEC >= MIN_PHRASE_SEC) {
      regions.push([Math.round(open * FRAME_SEC * 1000), Math.round((lastLoud + 1) * FRAME_SEC * 1000)]);
    }
    open = null;
  };
  loud.forEach((isLoud, index) => {
    if (!isLoud) return;
    if (open !== null && index - lastLoud > bridge) close();
    open ??= index;
    lastLoud = index;
  });
  close();
  return regions;
}

function definitionProblem(definition: FastDefinition): string | null {
  if (typeof definition !== "object" || definition === null || Array.isArray(definition)) {
    return "The definition must be an object.";
  }
  const known = ["locales", "profanityFilterMode", "diarization", "channels"];
  const unknown = Object.keys(definition).filter((key) => !known.includes(key));
  if (unknown.length > 0) return `Unknown definition properties: ${unknown.join(", ")}.`;
  const { locales, profanityFilterMode, diarization, channels } = definition;
  if (
    locales !== undefined &&
    (!Array.isArray(locales) ||
      !locales.every((locale) => typeof locale === "string" && /^[a-z]{2,3}-[A-Z]{2}$/.test(locale)))
  ) {
    return "locales must be a list of locales such as en-US.";
  }
  if (profanityFilterMode !== undefined && !PROFANITY_MODES.includes(profanityFilterMode)) {
    return `profanityFilterMode must be one of ${PROFANITY_MODES.join(", ")}.`;
  }
  if (diarization !== undefined) {
    if (typeof diarization !== "object" || diarization === null) return "diarization must be an object.";
    const keys = Object.keys(diarization).filter((key) => key !== "enabled" && key !== "maxSpeakers");
    if (keys.length > 0) return `Unknown diarization properties: ${keys.join(", ")}.`;
    if (diarization.enabled !== undefined && typeof diarization.enabled !== "boolean") {
      return "diarization.enabled must be a boolean.";
    }
    const max = diarization.maxSpeakers;
    if (max !== undefined && (!Number.isInteger(max) || max <= 1 || max >= 36)) {
      return "diarization.maxSpeakers must be greater than 1 and less than 36.";
    }
  }
  if (channels !== undefined && (!Array.isArray(channels) || !channels.every((c) => c === 0 || c === 1))) {
    return "channels must list channel 0 and/or 1.";
  }
  return null;
}

/** A RIFF/WAVE file of 16-bit PCM, or null when it is not one. */
function decodeWav(bytes: Buffer): Omit<ReceivedAudio, "fileName" | "contentType" | "bytes"> | null {
  if (
    bytes.length < 12 ||
    bytes.toString("latin1", 0, 4) !== "RIFF" ||
    bytes.toString("latin1", 8, 12) !== "WAVE"
  ) {
    return null;
  }
  let offset = 12;
  let format: { channels: number; sampleRate: number; bitsPerSample: number } | null = null;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString("latin1", offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === "fmt ") {
      if (bytes.readUInt16LE(body) !== 1) return null;
      format = {
        channels: bytes.readUInt16LE(body + 2),
        sampleRate: bytes.readUInt32LE(body + 4),
        bitsPerSample: bytes.readUInt16LE(body + 14),
      };
    } else if (id === "data") {
      if (!format || format.bitsPerSample !== 16 || format.channels < 1) return null;
      const data = bytes.subarray(body, Math.min(bytes.length, body + size));
      const frames = Math.floor(data.length / (2 * format.channels));
      const pcm = new Int16Array(frames);
      for (let i = 0; i < frames; i++) pcm[i] = data.readInt16LE(i * 2 * format.channels);
      return {
        ...format,
        samples: frames,
        durationMs: Math.round((frames / format.sampleRate) * 1000),
        pcm,
      };
    }
    offset = body + size + (size % 2);
  }
  return null;
}

function invalid(status: number, message: string, innerCode?: string) {
  return { status, body: serviceError(status, message, innerCode) };
}

/** The API's error body: `{ code, message, innerError }`. */
function serviceError(status: number, message: string, innerCode?: string) {
  const code =
    {
      400: "InvalidRequest",
      403: "Forbidden",
      405: "NotAllowed",
      415: "UnsupportedMediaType",
      422: "UnprocessableEntity",
      429: "TooManyRequests",
      503: "ServiceUnavailable",
    }[status] ?? (status >= 500 ? "InternalServerError" : "InvalidRequest");
  return { code, message, ...(innerCode ? { innerError: { code: innerCode, message } } : {}) };
}

async function readBody(request: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}
