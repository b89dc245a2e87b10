import type { PcmAudio } from "@/lib/audio/pcm";
import type { Segment } from "@/lib/domain/transcript";
import type { EngineInfo, EngineStatus, SpeechEngine, SpeechResult, TranscribeOptions } from "../types";

/** Seconds of audio each fake segment covers. */
const SEGMENT_SEC = 5;

/**
 * A deterministic stand-in for tests: no model, no decoding. The same audio length always gives
 * the same segments (one per 5 s, "Segment n of m."), so API tests run in milliseconds.
 */
export class FakeSpeechEngine implements SpeechEngine {
  readonly info: EngineInfo = {
    id: "fake",
    name: "Fake speech engine",
    languages: ["en-US"],
    multilingual: false,
    diarization: false,
  };

  status(): EngineStatus {
    return { ready: true, state: "ready", loadMs: 0 };
  }

  async warmUp(): Promise<void> {}

  async transcribe(audio: PcmAudio, options: TranscribeOptions): Promise<SpeechResult> {
    options.signal?.throwIfAborted();
    const segments = fakeSegments(audio.durationSec);
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
