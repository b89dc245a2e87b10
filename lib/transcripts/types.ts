import type { Segment, UncoveredSpeech } from "@/lib/speech/types";

/** Settings chosen for a transcription. */
export interface TranscriptSettings {
  language: string;
  diarize: boolean;
  speakers?: number;
}

/** A finished transcript, as the API returns it. */
export interface Transcript {
  id: string;
  recordingId: string;
  title: string;
  text: string;
  segments: Segment[];
  language: string;
  durationSec: number;
  engine: string;
  settings: TranscriptSettings;
  summary?: string;
  createdAt: string;
  updatedAt: string;
  etag?: string;
  /** Wall-clock milliseconds spent decoding and transcribing. */
  processingMs?: number;
  /**
   * Stretches where the engine heard speech but found no words (noise, music, a cough), so that
   * a reader knows the transcript is silent there on purpose. Absent when there were none.
   */
  uncovered?: UncoveredSpeech[];
}
