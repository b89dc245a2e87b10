/** One timed piece of a transcript. Times are seconds from the start of the audio. */
export interface Segment {
  start: number;
  end: number;
  text: string;
  speaker?: string;
}

/** A stretch of speech the engine heard but could not put into words, and why. */
export interface UncoveredSpeech {
  start: number;
  end: number;
  /** `no_words`: decoded on its own, it still gave no words (noise, music, a cough). */
  reason: "no_words";
}

/** Settings chosen for a transcription (the language is the transcript's own `language`). */
export interface TranscriptSettings {
  diarize: boolean;
  /** How many speakers the recording has, as the person said (only with `diarize`). */
  speakers?: number;
}

/**
 * The settings of a transcription: a speaker count is kept only when speakers are identified, and
 * only when it is a usable count (1 or more).
 */
export function transcriptSettings(diarize: boolean, speakers?: number | null): TranscriptSettings {
  return diarize && typeof speakers === "number" && Number.isInteger(speakers) && speakers >= 1
    ? { diarize, speakers }
    : { diarize };
}

/** A finished transcript, as the API returns it. */
export interface Transcript {
  id: string;
  recordingId: string;
  title: string;
  text: string;
  segments: Segment[];
  /** The language asked for, or the one the engine detected when it reports one. */
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

/** A transcript as stored, with its version. */
export type StoredTranscript = Omit<Transcript, "etag"> & { etag: string };

/** The fields a listing shows (no body). */
export type TranscriptHeader = Pick<
  StoredTranscript,
  "id" | "recordingId" | "title" | "createdAt" | "updatedAt" | "durationSec" | "language" | "engine" | "etag"
>;

/** Metadata kept with every stored recording. */
export interface RecordingMetadata {
  id: string;
  /** Sanitised display name (never used as a path). */
  name: string;
  createdAt: string;
  durationSec: number | null;
  sizeBytes: number;
  contentType: string;
  language: string;
  transcriptionId: string | null;
  /** Speaker identification was asked for (kept so an interrupted job can be resumed as asked). */
  diarize?: boolean;
  /** How many speakers were said to be in it (with `diarize`; kept for the same reason). */
  speakers?: number;
  /** Error code of a transcription that failed for good (not retried on restart). */
  transcriptionError?: string;
  /** `live`: recorded through the live socket (absent: uploaded or recorded in the browser). */
  source?: "live";
}
