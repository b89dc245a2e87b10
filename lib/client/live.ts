/** The browser's side of the live socket (`/api/live`): address, frames, error wording, retry timing. */

import {
  LIVE_MAX_FRAME_BYTES,
  LIVE_SAMPLE_RATE,
  liveServerMessageSchema,
  type LiveErrorCode,
  type LiveServerMessage,
  type LiveStart,
} from "@/lib/contract";

/** Samples in one audio frame sent to the server: 100 ms. */
export const LIVE_FRAME_SAMPLES = LIVE_SAMPLE_RATE / 10;

/** Largest frame in samples the server takes (binary frames carry 2 bytes a sample). */
export const LIVE_MAX_FRAME_SAMPLES = LIVE_MAX_FRAME_BYTES / 2;

/** How long a dropped connection is retried before the session is given up. */
export const LIVE_RECONNECT_WINDOW_MS = 30_000;

/** Sent audio kept for resending after a drop: what may have been lost in flight. */
export const LIVE_RESEND_SAMPLES = 10 * LIVE_SAMPLE_RATE;

/** The socket's address on the page's own origin: `wss:` on an https page, else `ws:`. */
export function liveSocketUrl(location: Pick<Location, "protocol" | "host">): string {
  return `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}/api/live`;
}

/** The `start` frame: a new session, or with `resume` the continuation of a dropped one. */
export function createStartMessage(
  settings: { language: string; diarize: boolean; speakers?: number },
  resume?: { sessionId: string; offset: number },
): LiveStart {
  return {
    type: "start",
    language: settings.language,
    diarize: settings.diarize,
    ...(settings.diarize && settings.speakers !== undefined ? { speakers: settings.speakers } : {}),
    sampleRate: LIVE_SAMPLE_RATE,
    encoding: "pcm_s16le",
    ...(resume ? { resume } : {}),
  };
}

/** A text frame from the server, checked against the contract; null for anything else. */
export function parseServerFrame(data: unknown): LiveServerMessage | null {
  if (typeof data !== "string") return null;
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return null;
  }
  const parsed = liveServerMessageSchema.safeParse(json);
  return parsed.success ? parsed.data : null;
}

const SAVED_NOTE = "What the server received so far is kept in Recordings.";

/** What a server `error` frame means for the person using the page. */
export function describeLiveError(code: LiveErrorCode): string {
  switch (code) {
    case "invalid_message":
    case "audio_before_start":
    case "unsupported_audio":
    case "frame_too_large":
      return `The server did not understand the audio this page sent, so live transcription stopped. Reload the page and try again. ${SAVED_NOTE}`;
    case "session_too_long":
      return `The session reached the longest live transcription the server allows, so it stopped. ${SAVED_NOTE} Start a new session to go on.`;
    case "audio_too_fast":
      return `The server received audio faster than it can be spoken, so live transcription stopped. Reload the page and try again. ${SAVED_NOTE}`;
    case "too_many_sessions":
      return "The server is already running as many live transcriptions as it can. Try again in a few minutes, or record and upload instead.";
    case "session_not_found":
      return `The connection dropped and the server no longer had this session, so it could not be resumed. ${SAVED_NOTE}`;
    case "engine_unavailable":
      return "The speech engine is not available right now, so live transcription cannot run. Try again in a moment, or record and upload instead.";
    case "engine_failed":
      return `The speech engine failed during live transcription. ${SAVED_NOTE}`;
    case "storage_unavailable":
      return "The server cannot store audio right now, so live transcription stopped. Try again in a moment.";
    case "internal":
      return `The server ran into a problem during live transcription. ${SAVED_NOTE}`;
  }
}

/**
 * Wait before reconnection attempt `attempt` (0 for the first): doubling from a quarter second,
 * at most 4 s, never past the end of the window that started at the drop.
 */
export function reconnectDelayMs(attempt: number, sinceDropMs: number): number {
  const delay = Math.min(4000, 250 * 2 ** Math.max(0, attempt));
  return Math.max(0, Math.min(delay, LIVE_RECONNECT_WINDOW_MS - sinceDropMs));
}
