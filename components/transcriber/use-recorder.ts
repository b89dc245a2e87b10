"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { describeMicrophoneError, microphoneUnavailableReason, openMicrophone } from "./microphone";

export type RecorderStatus = "idle" | "starting" | "recording" | "stopping";

export interface RecorderCallbacks {
  onRecorded: (file: File) => void;
  onError: (message: string) => void;
  /** Called with true once capture starts and false once it has fully stopped. */
  onActiveChange?: (active: boolean) => void;
}

interface Session {
  stream: MediaStream;
  recorder: MediaRecorder;
  context: AudioContext;
  meterTimer: ReturnType<typeof setInterval>;
}

const PREFERRED_TYPES = [
  "audio/webm;codecs=opus",
  "audio/webm",
  "audio/ogg;codecs=opus",
  "audio/mp4;codecs=mp4a.40.2",
  "audio/mp4",
  "audio/mpeg",
];

const EXTENSIONS: Array<[string, string]> = [
  ["audio/webm", "webm"],
  ["video/webm", "webm"],
  ["audio/ogg", "ogg"],
  ["audio/mp4", "m4a"],
  ["video/mp4", "m4a"],
  ["audio/mpeg", "mp3"],
  ["audio/wav", "wav"],
];

const METER_INTERVAL_MS = 50;
/** Levels are mapped from dBFS, so -60 dB reads as silence and 0 dB as full scale. */
const METER_FLOOR_DB = -60;

function pickMimeType(): string | undefined {
  if (typeof MediaRecorder.isTypeSupported !== "function") return undefined;
  return PREFERRED_TYPES.find((type) => MediaRecorder.isTypeSupported(type));
}

function recordingName(mimeType: string): string {
  const base = mimeType.split(";")[0]?.trim().toLowerCase() ?? "";
  const extension = EXTENSIONS.find(([type]) => type === base)?.[1] ?? "webm";
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, "0");
  const stamp = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
  return `recording-${stamp}.${extension}`;
}

function unsupportedReason(): string | null {
  const reason = microphoneUnavailableReason();
  if (reason) return reason;
  if (typeof MediaRecorder === "undefined") {
    return "This browser cannot record audio. Try a current version of Chrome, Edge, Firefox or Safari.";
  }
  return null;
}

/**
 * Records the microphone with MediaRecorder and measures the input level with an AnalyserNode.
 * The AudioContext is created only after getUserMedia resolves (otherwise it can stay
 * suspended) and runs at the device's native sample rate.
 */
export function useRecorder(callbacks: RecorderCallbacks) {
  const [status, setStatus] = useState<RecorderStatus>("idle");
  const [elapsedMs, setElapsedMs] = useState(0);
  const [level, setLevel] = useState(0);
  const sessionRef = useRef<Session | null>(null);
  const busyRef = useRef(false);
  const mountedRef = useRef(false);
  const callbacksRef = useRef(callbacks);

  useEffect(() => {
    callbacksRef.current = callbacks;
  });

  useEffect(() => {
    mountedRef.current = true;
    return () => {
      mountedRef.current = false;
      const session = sessionRef.current;
      sessionRef.current = null;
      busyRef.current = false;
      if (!session) return;
      session.recorder.ondataavailable = null;
      session.recorder.onstop = null;
      if (session.recorder.state !== "inactive") session.recorder.stop();
      releaseSession(session);
    };
  }, []);

  const start = useCallback(async () => {
    if (busyRef.current) return;
    const reason = unsupportedReason();
    if (reason) {
      callbacksRef.current.onError(reason);
      return;
    }
    busyRef.current = true;
    setStatus("starting");

    let stream: MediaStream;
    try {
      stream = await openMicrophone();
    } catch (error) {
      busyRef.current = false;
      if (!mountedRef.current) return;
      setStatus("idle");
      callbacksRef.current.onError(describeMicrophoneError(error));
      return;
    }
    if (!mountedRef.current) {
      stream.getTracks().forEach((track) => track.stop());
      return;
    }

    let recorder: MediaRecorder;
    try {
      const mimeType = pickMimeType();
      recorder = new MediaRecorder(stream, mimeType ? { mimeType } : undefined);
    } catch {
      stream.getTracks().forEach((track) => track.stop());
      busyRef.current = false;
      setStatus("idle");
      callbacksRef.current.onError("This browser cannot record audio in a format the server accepts.");
      return;
    }

    const context = new AudioContext();
    const analyser = context.createAnalyser();
    analyser.fftSize = 2048;
    context.createMediaStreamSource(stream).connect(analyser);
    if (context.state === "suspended") void context.resume().catch(() => undefined);

    const samples = new Float32Array(analyser.fftSize);
    const startedAt = performance.now();
    let smoothed = 0;
    const meterTimer = setInterval(() => {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const sample of samples) sum += sample * sample;
      const rms = Math.sqrt(sum / samples.length);
      const db = rms > 0 ? 20 * Math.log10(rms) : -Infinity;
      const instant = Math.min(1, Math.max(0, (db - METER_FLOOR_DB) / -METER_FLOOR_DB));
      // Fast attack, slow release, like a hardware meter.
      smoothed = instant >= smoothed ? instant : Math.max(instant, smoothed * 0.85);
      setLevel(smoothed < 0.001 ? 0 : smoothed);
      setElapsedMs(performance.now() - startedAt);
    }, METER_INTERVAL_MS);

    const session: Session = { stream, recorder, context, meterTimer };
    const chunks: Blob[] = [];
    recorder.ondataavailable = (event) => {
      if (event.data.size > 0) chunks.push(event.data);
    };
    recorder.onstop = () => {
      releaseSession(session);
      sessionRef.current = null;
      busyRef.current = false;
      setStatus("idle");
      setLevel(0);
      callbacksRef.current.onActiveChange?.(false);
      const type = (recorder.mimeType || chunks[0]?.type || "audio/webm").split(";")[0] ?? "audio/webm";
      const blob = new Blob(chunks, { type });
      if (blob.size === 0) {
        callbacksRef.current.onError(
          "Nothing was recorded. Check that the microphone is working and try again.",
        );
        return;
      }
      callbacksRef.current.onRecorded(new File([blob], recordingName(type), { type }));
    };
    // A device that disappears mid-recording ends the track; keep what was captured.
    stream.getAudioTracks().forEach((track) => {
      track.onended = () => {
        if (recorder.state !== "inactive") recorder.stop();
      };
    });

    sessionRef.current = session;
    recorder.start(1000);
    setElapsedMs(0);
    setStatus("recording");
    callbacksRef.current.onActiveChange?.(true);
  }, []);

  const stop = useCallback(() => {
    const session = sessionRef.current;
    if (!session || session.recorder.state === "inactive") return;
    setStatus("stopping");
    session.recorder.stop();
  }, []);

  return { status, elapsedMs, level, start, stop };
}

function releaseSession(session: Session) {
  clearInterval(session.meterTimer);
  session.stream.getTracks().forEach((track) => track.stop());
  void session.context.close().catch(() => undefined);
}
