"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { ApiRequestError, messageOf } from "@/lib/client/request";
import { fetchJob, submitAudio } from "@/lib/client/transcriptions";
import type { Transcript, TranscriptionView, UploadSettings } from "@/lib/contract";

const POLL_INTERVAL_MS = 700;
/** Consecutive network failures tolerated while polling before giving up. */
const MAX_POLL_FAILURES = 5;

/** Where the audio came from: a chosen file or the microphone. */
export type AudioSource = "upload" | "recording";

export type JobState =
  | { phase: "idle" }
  | { phase: "uploading"; progress: number }
  | { phase: "queued" }
  | { phase: "running"; progress: number }
  | { phase: "succeeded"; transcript: Transcript; processingMs: number }
  | { phase: "failed"; message: string };

export interface JobFile {
  name: string;
  size: number;
  source: AudioSource;
}

export interface JobCallbacks {
  onSucceeded?: (transcript: Transcript, processingMs: number) => void;
  onFailed?: (message: string) => void;
}

export interface TranscriptionJob {
  file: JobFile | null;
  state: JobState;
  /** Uploading, queued or running. */
  active: boolean;
  start: (file: File, settings: UploadSettings, source: AudioSource) => void;
}

function phaseOf(snapshot: TranscriptionView): JobState {
  return snapshot.status === "running"
    ? { phase: "running", progress: snapshot.progress }
    : { phase: "queued" };
}

/** Uploads one file, then polls its job until it succeeds or fails. */
export function useTranscriptionJob(callbacks: JobCallbacks): TranscriptionJob {
  const [file, setFile] = useState<JobFile | null>(null);
  const [state, setState] = useState<JobState>({ phase: "idle" });
  const cancelRef = useRef<(() => void) | null>(null);
  const callbacksRef = useRef(callbacks);

  useEffect(() => {
    callbacksRef.current = callbacks;
  });

  useEffect(() => () => cancelRef.current?.(), []);

  const start = useCallback((audio: File, settings: UploadSettings, source: AudioSource) => {
    cancelRef.current?.();
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let cancelled = false;

    const fail = (message: string) => {
      if (cancelled) return;
      setState({ phase: "failed", message });
      callbacksRef.current.onFailed?.(message);
    };

    setFile({ name: audio.name, size: audio.size, source });
    setState({ phase: "uploading", progress: 0 });

    const upload = submitAudio(audio, settings, (fraction) => {
      if (!cancelled) setState({ phase: "uploading", progress: fraction });
    });

    cancelRef.current = () => {
      cancelled = true;
      upload.abort();
      controller.abort();
      clearTimeout(timer);
    };

    upload.promise.then(
      (submitted) => {
        if (cancelled) return;
        const acceptedAt = performance.now();
        let failures = 0;
        setState(submitted.status === "running" ? { phase: "running", progress: 0 } : { phase: "queued" });

        const poll = async () => {
          try {
            const snapshot = await fetchJob(submitted.id, controller.signal);
            if (cancelled) return;
            failures = 0;
            if (snapshot.status === "failed") {
              fail(snapshot.error?.message || "Transcription failed.");
              return;
            }
            if (snapshot.status === "succeeded" && snapshot.transcript) {
              const transcript = snapshot.transcript;
              const processingMs = transcript.processingMs ?? performance.now() - acceptedAt;
              setState({ phase: "succeeded", transcript, processingMs });
              callbacksRef.current.onSucceeded?.(transcript, processingMs);
              return;
            }
            setState(snapshot.status === "succeeded" ? { phase: "running", progress: 1 } : phaseOf(snapshot));
          } catch (error) {
            if (cancelled) return;
            const transient =
              !(error instanceof ApiRequestError) || error.status === 0 || error.status >= 500;
            failures += 1;
            if (!transient || failures >= MAX_POLL_FAILURES) {
              fail(messageOf(error, "Lost contact with the server while transcribing."));
              return;
            }
          }
          timer = setTimeout(poll, POLL_INTERVAL_MS);
        };
        void poll();
      },
      (error: unknown) => fail(messageOf(error, "The upload failed. Try again.")),
    );
  }, []);

  const active = state.phase === "uploading" || state.phase === "queued" || state.phase === "running";
  return { file, state, active, start };
}
