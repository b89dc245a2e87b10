/** What a failed `getUserMedia` means for the person at the microphone. */
export function describeMicrophoneError(error: unknown): string {
  const name = error instanceof DOMException || error instanceof Error ? error.name : "";
  switch (name) {
    case "NotAllowedError":
    case "SecurityError":
    case "PermissionDeniedError":
      return "Microphone access was denied. Allow it in the browser's site settings and try again.";
    case "NotFoundError":
    case "DevicesNotFoundError":
    case "OverconstrainedError":
      return "No microphone was found. Connect one and try again.";
    case "NotReadableError":
    case "TrackStartError":
    case "AbortError":
      return "The microphone could not be started. It may be in use by another application.";
    default:
      return "The microphone could not be started.";
  }
}

/** Why the microphone cannot be used on this page at all, or null when it can. */
export function microphoneUnavailableReason(): string | null {
  if (typeof window === "undefined") return "The microphone is not available here.";
  if (!window.isSecureContext || !navigator.mediaDevices?.getUserMedia) {
    return "The microphone is only available over a secure connection. Open the app via https:// or on localhost to record.";
  }
  return null;
}

/** Asks for one channel of the microphone, without echo cancellation or noise suppression. */
export function openMicrophone(): Promise<MediaStream> {
  return navigator.mediaDevices.getUserMedia({
    audio: { channelCount: 1, echoCancellation: false, noiseSuppression: false },
  });
}
