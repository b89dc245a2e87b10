import type { PcmAudio } from "@/lib/audio/pcm";
import type { EngineStatus, Segment, SpeechResult, TranscribeOptions } from "../types";

/** An error as it crosses the thread boundary. */
export interface ThreadError {
  code: string;
  message: string;
  cause?: string;
}

/** What the server thread asks of the engine thread. */
export type ThreadRequest =
  | { type: "warm-up" }
  | {
      type: "transcribe";
      id: number;
      audio: PcmAudio;
      options: Pick<TranscribeOptions, "language" | "diarize" | "speakers">;
    }
  | { type: "abort"; id: number }
  | { type: "live-decode"; id: number; samples: Float32Array; final: boolean }
  | { type: "label-speakers"; id: number; audio: PcmAudio; segments: Segment[]; speakers?: number }
  | { type: "close" };

/** What the engine thread answers. */
export type ThreadReply =
  | { type: "status"; status: EngineStatus }
  | { type: "closed" }
  | { type: "warmed"; status: EngineStatus }
  | { type: "warm-failed"; status: EngineStatus; error: ThreadError }
  | { type: "progress"; id: number; fraction: number }
  /** The answer to a `live-decode` or `label-speakers` request. */
  | { type: "segments-ready"; id: number; segments: Segment[] }
  | { type: "segments-failed"; id: number; error: ThreadError }
  | { type: "segments"; id: number; segments: Segment[] }
  | { type: "result"; id: number; result: SpeechResult; status: EngineStatus }
  | { type: "error"; id: number; error: ThreadError; status: EngineStatus };
