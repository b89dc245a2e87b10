"use client";

import { useCallback } from "react";
import { Button } from "@/components/ui/button";
import { LiveIcon, StopIcon } from "@/components/ui/icons";
import { ElapsedTimer } from "./elapsed-timer";
import { LevelMeter } from "./level-meter";
import type { LiveSession, LiveStatus } from "./use-live-session";

export interface LivePanelProps {
  session: LiveSession;
  /** Blocks starting a session (e.g. while the microphone records); a running one can always stop. */
  disabled: boolean;
  /** Asked before a session starts; false keeps things as they are (e.g. unsaved edits). */
  confirmStart?: () => boolean;
}

const RUNNING: ReadonlySet<LiveStatus> = new Set(["connecting", "live", "reconnecting"]);

function hintFor(status: LiveStatus, disabled: boolean): string {
  switch (status) {
    case "connecting":
      return "Starting: waiting for the microphone and the server…";
    case "live":
      return "Live. Words appear below as you speak; Stop saves the transcript.";
    case "reconnecting":
      return "Connection lost. Reconnecting… Capture goes on, and the audio is sent once the connection is back.";
    case "stopping":
      return "Finishing: the last words are transcribed and the transcript is saved…";
    case "saved":
      return "Saved. The transcript is open below, ready to edit.";
    case "error":
    case "idle":
      return disabled
        ? "Available when the current recording finishes."
        : "Words appear while you speak. Your browser will ask for microphone access.";
  }
}

/** Start and stop live transcription, with its timer, level meter and connection state. */
export function LivePanel({ session, disabled, confirmStart }: LivePanelProps) {
  const { status, elapsedMs, level, start: startSession, stop } = session;
  const running = RUNNING.has(status);
  const canStart = !running && status !== "stopping" && !disabled;
  const start = useCallback(() => {
    if (confirmStart && !confirmStart()) return;
    void startSession();
  }, [confirmStart, startSession]);

  return (
    <div
      data-testid="live-panel"
      data-status={status}
      className="flex flex-col gap-4 rounded-xl border border-zinc-200 bg-zinc-50/60 p-4 dark:border-zinc-800 dark:bg-zinc-950/40 sm:flex-row sm:items-center sm:gap-6"
    >
      <div className="min-w-0 sm:w-52 sm:shrink-0">
        <div className="flex items-center gap-2">
          <h2 className="text-sm font-semibold text-zinc-900 dark:text-zinc-100">Live</h2>
          <span className="rounded-full bg-indigo-50 px-2 py-0.5 text-[11px] font-medium text-indigo-700 ring-1 ring-inset ring-indigo-200 dark:bg-indigo-500/10 dark:text-indigo-200 dark:ring-indigo-500/30">
            Real time
          </span>
        </div>
        <p className="mt-1 text-[13px] text-zinc-600 dark:text-zinc-400">
          Transcribe as you speak. The audio and text are saved when you stop.
        </p>
      </div>

      <div className="flex items-center gap-4">
        <Button
          data-testid="live-button"
          variant={running ? "danger" : "primary"}
          size="lg"
          onClick={running ? stop : start}
          disabled={running ? false : !canStart}
          className="min-w-[8.5rem]"
        >
          {running ? <StopIcon /> : <LiveIcon />}
          {running ? "Stop" : status === "stopping" ? "Saving…" : "Start live"}
        </Button>
        <ElapsedTimer
          running={status === "live"}
          elapsedMs={elapsedMs}
          label="Elapsed live time"
          testId="live-timer"
        />
      </div>

      <div className="min-w-0 flex-1 space-y-2">
        <LevelMeter
          level={level}
          active={running}
          label="Live microphone input level"
          testId="live-level-meter"
        />
        <p data-testid="live-status" className="text-xs text-zinc-600 dark:text-zinc-400" aria-live="polite">
          {hintFor(status, disabled)}
        </p>
      </div>
    </div>
  );
}
