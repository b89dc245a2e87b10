import type { AzureSpeechConfig } from "@/lib/config";
import { isLastingFailure } from "@/lib/domain/errors";
import { cancellationError, isCredentialFailure, transcriptionStatusError } from "@/lib/speech/azure/errors";
import {
  DEFAULT_MAX_SPEAKERS,
  fastTranscriptionUrl,
  PhraseMapper,
  retryAfterMs,
  speakerPlan,
  transcriptionDefinition,
} from "@/lib/speech/azure/fast-transcription";
import { chooseLanguage } from "@/lib/speech/azure/languages";

describe("Azure speech language choice", () => {
  it("detects among the candidates for auto, or uses the only one", () => {
    expect(chooseLanguage("auto", ["en-US", "fr-FR"])).toEqual({ candidates: ["en-US", "fr-FR"] });
    expect(chooseLanguage("auto", ["nl-NL"])).toEqual({ locale: "nl-NL" });
  });

  it("passes locales through and completes a bare language", () => {
    expect(chooseLanguage("pt-BR", ["en-US"])).toEqual({ locale: "pt-BR" });
    expect(chooseLanguage("de", ["en-US"])).toEqual({ locale: "de-DE" });
  });
});

describe("Azure speech cancellations", () => {
  const cancel = (errorCode: string, details = "", connectionLost = false) => ({
    errorCode,
    details,
    connectionLost,
  });

  it.each([
    [cancel("AuthenticationFailure"), "engine_rejected", true],
    [cancel("Forbidden"), "engine_rejected", true],
    [cancel("ConnectionFailure", "Reason:  Unexpected server response: 401"), "engine_rejected", true],
    [cancel("ConnectionFailure", "Reason:  Unexpected server response: 403"), "engine_rejected", true],
    [cancel("ConnectionFailure", "Reason:  Unexpected server response: 429"), "rate_limited", false],
    [cancel("TooManyRequests"), "rate_limited", false],
    [
      cancel("ConnectionFailure", "ws://127.0.0.1:40123/x Reason: socket hang up"),
      "engine_unavailable",
      false,
    ],
    [cancel("RuntimeError", "Unable to contact server", true), "engine_unavailable", false],
    [cancel("ServiceTimeout"), "engine_unavailable", false],
    [cancel("BadRequestParameters"), "unprocessable", false],
    [cancel("ServiceError"), "engine_failed", false],
    [cancel("RuntimeError"), "engine_failed", false],
  ])("maps %o to %s", (cancellation, code, credentials) => {
    expect(cancellationError(cancellation).code).toBe(code);
    expect(isCredentialFailure(cancellation)).toBe(credentials);
  });

  it("answers refused credentials with a 502 that no retry repeats, and throttling with a retry", () => {
    const refused = cancellationError(cancel("AuthenticationFailure"));
    expect(refused.status).toBe(502);
    expect(isLastingFailure(refused)).toBe(true);
    expect(isLastingFailure(cancellationError(cancel("TooManyRequests")))).toBe(false);
    expect(isLastingFailure(cancellationError(cancel("ServiceError")))).toBe(false);
    expect(isLastingFailure(cancellationError(cancel("BadRequestParameters")))).toBe(true);
  });

  it("says what to check when the credentials are refused", () => {
    expect(cancellationError(cancel("AuthenticationFailure")).message).toMatch(
      /key or region is wrong .*AZURE_SPEECH_KEY .*AZURE_SPEECH_REGION/,
    );
  });
});

describe("Azure fast transcription requests", () => {
  const azure = (overrides: Partial<AzureSpeechConfig>): AzureSpeechConfig => ({
    key: "k",
    autoLanguages: ["en-US"],
    profanity: "masked",
    ...overrides,
  });
  const url = (overrides: Partial<AzureSpeechConfig>) => fastTranscriptionUrl(azure(overrides))?.href ?? null;
  const path = "/speechtotext/transcriptions:transcribe?api-version=2024-11-15";

  it("reaches the region's endpoint, or the configured one's host over HTTP(S)", () => {
    expect(url({ region: "westeurope" })).toBe(`https://westeurope.api.cognitive.microsoft.com${path}`);
    expect(url({ endpoint: "https://my-speech.cognitiveservices.azure.com/", region: "westeurope" })).toBe(
      `https://my-speech.cognitiveservices.azure.com${path}`,
    );
    expect(url({ endpoint: "wss://my-speech.cognitiveservices.azure.com/stt/speech/universal/v2" })).toBe(
      `https://my-speech.cognitiveservices.azure.com${path}`,
    );
    expect(
      url({ endpoint: "ws://127.0.0.1:5000/speech/recognition/conversation/cognitiveservices/v1" }),
    ).toBe(`http://127.0.0.1:5000${path}`);
    expect(url({ endpoint: "wss://westus2.stt.speech.microsoft.com/speech/universal/v2" })).toBe(
      `https://westus2.api.cognitive.microsoft.com${path}`,
    );
    expect(url({ endpoint: "https://gateway.example.com/speech-proxy/" })).toBe(
      `https://gateway.example.com/speech-proxy${path}`,
    );
  });

  it("has no URL for Entra ID without the resource's custom domain", () => {
    const entra = { key: undefined, entraIdResourceId: "/subscriptions/0/x" };
    expect(url({ ...entra, region: "westeurope" })).toBeNull();
    expect(
      url({ ...entra, endpoint: "wss://westus2.stt.speech.microsoft.com/speech/universal/v2" }),
    ).toBeNull();
    expect(url({ ...entra, endpoint: "https://my-speech.cognitiveservices.azure.com" })).toBe(
      `https://my-speech.cognitiveservices.azure.com${path}`,
    );
  });

  it("bounds diarization by the speakers given, within what the service accepts", () => {
    expect(speakerPlan(false, 4)).toEqual({ kind: "none" });
    expect(speakerPlan(true, undefined)).toEqual({ kind: "diarize", maxSpeakers: DEFAULT_MAX_SPEAKERS });
    expect(speakerPlan(true, 1)).toEqual({ kind: "single" });
    expect(speakerPlan(true, 2)).toEqual({ kind: "diarize", maxSpeakers: 2 });
    expect(speakerPlan(true, 35)).toEqual({ kind: "diarize", maxSpeakers: 35 });
    expect(speakerPlan(true, 36)).toEqual({ kind: "diarize", maxSpeakers: 35 });
  });

  it("writes the definition from the language, the profanity setting and the speaker plan", () => {
    expect(transcriptionDefinition({ locale: "de-DE" }, "raw", { kind: "none" })).toEqual({
      locales: ["de-DE"],
      profanityFilterMode: "None",
    });
    expect(
      transcriptionDefinition({ candidates: ["en-US", "fr-FR"] }, "removed", {
        kind: "diarize",
        maxSpeakers: 4,
      }),
    ).toEqual({
      locales: ["en-US", "fr-FR"],
      profanityFilterMode: "Removed",
      diarization: { enabled: true, maxSpeakers: 4 },
    });
    expect(transcriptionDefinition({ locale: "en-US" }, "masked", { kind: "single" })).toEqual({
      locales: ["en-US"],
      profanityFilterMode: "Masked",
    });
  });

  it("reads the wait a throttled answer asks for", () => {
    const now = Date.parse("2026-01-01T12:00:00Z");
    const wait = (headers: Record<string, string>) => retryAfterMs(new Headers(headers), now);
    expect(wait({ "Retry-After": "7" })).toBe(7000);
    expect(wait({ "Retry-After": "Thu, 01 Jan 2026 12:00:30 GMT" })).toBe(30_000);
    expect(wait({ "Retry-After": "Thu, 01 Jan 2026 11:00:00 GMT" })).toBe(0);
    expect(wait({ "Retry-After": "soon" })).toBeUndefined();
    expect(wait({})).toBeUndefined();
    expect(wait({ "retry-after-ms": "250", "Retry-After": "1" })).toBe(250);
  });

  it.each([
    [401, "engine_rejected", 502],
    [403, "engine_rejected", 502],
    [429, "rate_limited", 429],
    [500, "engine_unavailable", 503],
    [503, "engine_unavailable", 503],
    [400, "unprocessable", 422],
    [413, "unprocessable", 422],
    [415, "unprocessable", 422],
    [422, "unprocessable", 422],
    [409, "engine_failed", 500],
  ])("maps an answer with status %d to %s", (status, code, httpStatus) => {
    const error = transcriptionStatusError(status, "InvalidRequest: details");
    expect(error.code).toBe(code);
    expect(error.status).toBe(httpStatus);
    expect(String((error.cause as Error).message)).toContain("InvalidRequest: details");
  });

  it("says what to check when the credentials are refused, and no retry repeats it", () => {
    const refused = transcriptionStatusError(401, "");
    expect(refused.message).toMatch(/AZURE_SPEECH_KEY .*AZURE_SPEECH_RESOURCE_ID.*AZURE_SPEECH_REGION/);
    expect(isLastingFailure(refused)).toBe(true);
    expect(isLastingFailure(transcriptionStatusError(429, ""))).toBe(false);
    expect(isLastingFailure(transcriptionStatusError(503, ""))).toBe(false);
  });
});

describe("Azure fast transcription phrases", () => {
  const phrase = (offset: number, duration: number, text: string, extra: Record<string, unknown> = {}) => ({
    offsetMilliseconds: offset,
    durationMilliseconds: duration,
    text,
    ...extra,
  });

  it("orders a piece's phrases in time, moved by the piece's start and kept within it", () => {
    const mapper = new PhraseMapper({ kind: "none" });
    const segments = mapper.segments(
      {
        durationMilliseconds: 10_000,
        phrases: [
          phrase(4000, 1500, "Second.", { channel: 0 }),
          phrase(500, 1000, " First. "),
          phrase(6000, 0, "   "),
          phrase(9500, 2000, "Runs past the end."),
        ],
      },
      { index: 1, start: 100, end: 110 },
    );
    expect(segments).toEqual([
      { start: 100.5, end: 101.5, text: "First." },
      { start: 104, end: 105.5, text: "Second." },
      { start: 109.5, end: 110, text: "Runs past the end." },
    ]);
  });

  it("labels speakers by first appearance, per piece, and keeps the locale heard longest", () => {
    const mapper = new PhraseMapper({ kind: "diarize", maxSpeakers: 3 });
    const first = mapper.segments(
      {
        durationMilliseconds: 9000,
        phrases: [
          phrase(0, 1000, "a", { speaker: 2, locale: "en-US" }),
          phrase(1000, 1000, "b", { speaker: 0, locale: "de-DE" }),
          phrase(2000, 1500, "c", { speaker: 2, locale: "de-DE" }),
        ],
      },
      { index: 0, start: 0, end: 9 },
    );
    const second = mapper.segments(
      { durationMilliseconds: 9000, phrases: [phrase(0, 500, "d", { speaker: 2, locale: "en-US" })] },
      { index: 1, start: 9, end: 18 },
    );
    expect(first.map((segment) => segment.speaker)).toEqual(["Speaker 1", "Speaker 2", "Speaker 1"]);
    expect(second.map((segment) => segment.speaker)).toEqual(["Speaker 3"]);
    expect(mapper.language()).toBe("de-DE");
    expect(
      new PhraseMapper({ kind: "single" }).segments(
        { durationMilliseconds: 1000, phrases: [phrase(0, 500, "e", { speaker: 4 })] },
        { index: 0, start: 0, end: 1 },
      ),
    ).toEqual([{ start: 0, end: 0.5, text: "e", speaker: "Speaker 1" }]);
    expect(new PhraseMapper({ kind: "none" }).language()).toBeUndefined();
  });
});
