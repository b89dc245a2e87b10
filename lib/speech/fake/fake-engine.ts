import type { PcmAudio } from "@/lib/audio/pcm";
import type { Segment } from "@/lib/domain/transcript";
import type {
  EngineInfo,
  EngineStatus,
  LiveOptions,
  LiveTranscription,
  SpeechEngine,
  SpeechResult,
  TranscribeOptions,
} from "../types";

/** Seconds of audio each fake segment covers. */
const SEGMENT_SEC = 5;

/** What a test may ask of the fake engine. */
export interface FakeEngineOptions {
  /** Report speaker identification (default false); segments then take turns among the speakers. */
  diarization?: boolean;
}

/** The choices one call was made with (callbacks and signal left out). */
export type FakeEngineCall = Pick<TranscribeOptions, "language" | "diarize" | "speakers">;

/**
 * A deterministic stand-in for tests: no model, no decoding. The same audio length always gives
 * the same segments (one per 5 s, "Segment n of m."), so API tests run in milliseconds. With
 * `diarization`, diarised segments take turns among `speakers` (default 2) speakers.
 */
export class FakeSpeechEngine implements SpeechEngine {
  readonly info: EngineInfo;
  /** Every file transcription asked of this engine, in order. */
  readonly calls: FakeEngineCall[] = [];
  /** Every live transcription started on this engine, in order. */
  readonly liveCalls: FakeEngineCall[] = [];

  constructor(options: FakeEngineOptions = {}) {
    this.info = {
      id: "fake",
      name: "Fake speech engine",
      languages: ["en-US"],
      multilingual: false,
      diarization: options.diarization ?? false,
    };
  }

  status(): EngineStatus {
    return { ready: true, state: "ready", loadMs: 0 };
  }

  async warmUp(): Promise<void> {}

  async transcribe(audio: PcmAudio, options: TranscribeOptions): Promise<SpeechResult> {
    this.calls.push(choices(options));
    options.signal?.throwIfAborted();
    const segments = fakeSegments(audio.durationSec).map((segment, index) =>
      this.info.diarization && options.diarize
        ? { ...segment, speaker: `Speaker ${(index % (options.speakers ?? 2)) + 1}` }
        : segment,
    );
    segments.forEach((_, index) => {
      options.onSegments?.(segments.slice(0, index + 1));
      options.onProgress?.((index + 1) / segments.length);
    });
    return {
      segments,
      text: segments.map((segment) => segment.text).join(" "),
      language: "en",
      durationSec: audio.durationSec,
      uncovered: [],
    };
  }

  /**
   * Live: a final segment "Live segment n." for every 5 s of audio pushed (and one for what is
   * left at the end), and a partial with the open segment's name after every push.
   */
  startLive(options: LiveOptions): LiveTranscription {
    this.liveCalls.push(choices(options));
    const rate = 16_000;
    const segments: Segment[] = [];
    let samples = 0;
    let closedAt = 0;
    let closed = false;
    const closeSegment = (end: number) => {
      const segment = {
        start: closedAt / rate,
        end: end / rate,
        text: `Live segment ${segments.length + 1}.`,
      };
      segments.push(segment);
      closedAt = end;
      options.emit({ type: "final", segment });
    };
    return {
      push: async (chunk) => {
        if (closed) return;
        samples += chunk.length;
        while (samples - closedAt >= SEGMENT_SEC * rate) closeSegment(closedAt + SEGMENT_SEC * rate);
        if (samples > closedAt) {
          const text = `Live segment ${segments.length + 1}`;
          options.emit({ type: "partial", start: closedAt / rate, text, stable: "" });
        }
      },
      finish: async () => {
        if (!closed && samples > closedAt) closeSegment(samples);
        closed = true;
        return [...segments];
      },
      close: () => {
        closed = true;
      },
    };
  }
}

function choices(options: TranscribeOptions | LiveOptions): FakeEngineCall {
  return {
    language: options.language,
    diarize: options.diarize,
    ...(options.speakers !== undefined ? { speakers: options.speakers } : {}),
  };
}

/** The segments the fake engine gives for audio of this length. */
export function fakeSegments(durationSec: number): Segment[] {
  const count = Math.max(1, Math.ceil(durationSec / SEGMENT_SEC));
  return Array.from({ length: count }, (_, index) => ({
    start: index * SEGMENT_SEC,
    end: Math.min(durationSec, (index + 1) * SEGMENT_SEC),
    text: `Segment ${index + 1} of ${count}.`,
  }));
}
