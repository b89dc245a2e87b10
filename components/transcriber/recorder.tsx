"use client";

import { useCallback, useEffect } from "react";
import { Button } from "@/components/ui/button";
import { MicIcon, StopIcon } from "@/components/ui/icons";
import { Kbd } from "@/components/ui/kbd";
import { ElapsedTimer } from "./elapsed-timer";
import { LevelMeter } from "./level-meter";
import { useRecorder } from "./use-recorder";

export interface RecorderProps {
  /** Blocks starting a new recording (a running recording can always be stopped). */
  disabled: boolean;
  /** Why starting is blocked, shown while `disabled`. */
  disabledHint?: string;
  onRecorded: (file: File) => void;
  onError: (message: string) => void;
  onActiveChange?: (active: boolean) => void;
  /** Asked before a recording starts; false keeps things as they are (e.g. unsaved edits). */
  confirmStart?: () => boolean;
}

/** Typing, or working in a dialog: R is a letter there, not the record shortcut. */
function isTextEntry(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.closest("dialog[open]")) return true;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

export function Recorder({
  disabled,
  disabledHint = "Available when the current transcription finishes.",
  onRecorded,
  onError,
  onActiveChange,
  confirmStart,
}: RecorderProps) {
  const {
    status,
    elapsedMs,
    level,
    stop,
    start: startRecording,
  } = useRecorder({
    onRecorded,
    onError,
    onActiveChange,
  });
  const start = useCallback(async () => {
    if (confirmStart && !confirmStart()) return;
    await startRecording();
  }, [confirmStart, startRecording]);
  const recording = status === "recording";
  const canStart = status === "idle" && !disabled;

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== "r" && event.key !== "R") return;
      if (event.repeat || event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTextEntry(event.target)) return;
      if (recording) {
        event.preventDefault();
        stop();
      } else if (canStart) {
        event.preventDefault();
        void start();
      }
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [recording, canStart, start, stop]);

  const hint =
    status === "starting"
      ? "Waiting for the microphone…"
      : status === "recording"
        ? "Recording. Press Stop to transcribe."
        : status === "stopping"
          ? "Finishing the recording…"
          : disabled
            ? disabledHint
            : "Your browser will ask for microphone access.";

  return (
    <div className="flex h-full flex-col justify-between gap-4 rounded-xl border border-zinc-200 bg-zinc-50/60 p-4 dark:border-zinc-800 dark:bg-zinc-950/40">
      <div className="flex items-center justify-between gap-3">
        <h2 className="text-sm font-semibold text-zinc-900 dark:text-zinc-100">Record</h2>
        <span className="flex items-center gap-1.5 text-xs text-zinc-600 dark:text-zinc-400">
          Shortcut <Kbd>R</Kbd>
        </span>
      </div>

      <div className="flex items-center gap-4">
        <Button
          data-testid="record-button"
          variant={recording ? "danger" : "primary"}
          size="lg"
          onClick={recording ? stop : () => void start()}
          disabled={recording ? false : !canStart}
          aria-keyshortcuts="R"
          className="min-w-[7.5rem]"
        >
          {recording ? <StopIcon /> : <MicIcon />}
          {recording ? "Stop" : status === "starting" ? "Starting…" : "Record"}
        </Button>
        <ElapsedTimer running={recording} elapsedMs={elapsedMs} label="Elapsed recording time" />
      </div>

      <LevelMeter level={level} active={recording} />
      <p className="text-xs text-zinc-600 dark:text-zinc-400" aria-live="polite">
        {hint}
      </p>
    </div>
  );
}
