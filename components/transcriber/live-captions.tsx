"use client";

import { useCallback, useLayoutEffect, useRef, useState } from "react";
import { formatClock, formatTimestamp } from "@/components/shared/format";
import { Button, buttonStyles } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { ArrowDownIcon, SpinnerIcon, TextIcon } from "@/components/ui/icons";
import type { LiveSession, LiveStatus } from "./use-live-session";

export interface LiveCaptionsProps {
  session: LiveSession;
}

/** Closer to the bottom than this counts as following the live text. */
const FOLLOW_SLACK_PX = 24;

const stateLabels: Record<LiveStatus, string> = {
  idle: "Not started",
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
  stopping: "Saving…",
  saved: "Saved",
  error: "Stopped",
};

function StatePill({ status }: { status: LiveStatus }) {
  const tone =
    status === "live"
      ? "bg-rose-50 text-rose-700 ring-rose-200 dark:bg-rose-500/10 dark:text-rose-200 dark:ring-rose-500/30"
      : status === "reconnecting" || status === "error"
        ? "bg-amber-50 text-amber-800 ring-amber-200 dark:bg-amber-500/10 dark:text-amber-200 dark:ring-amber-500/30"
        : status === "saved"
          ? "bg-emerald-50 text-emerald-800 ring-emerald-200 dark:bg-emerald-500/10 dark:text-emerald-200 dark:ring-emerald-500/30"
          : "bg-zinc-100 text-zinc-700 ring-zinc-200 dark:bg-zinc-800 dark:text-zinc-300 dark:ring-zinc-700";
  const busy = status === "connecting" || status === "reconnecting" || status === "stopping";
  return (
    <span
      data-testid="live-state"
      className={cn(
        "inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset",
        tone,
      )}
    >
      {status === "live" ? <span className="size-1.5 rounded-full bg-rose-500" aria-hidden="true" /> : null}
      {busy ? <SpinnerIcon className="size-3 animate-spin" /> : null}
      {stateLabels[status]}
    </span>
  );
}

/**
 * The text of a live session as it arrives: confirmed segments in normal type, the utterance
 * being spoken lighter (its agreed start less so than the guess). Follows the newest words until
 * the reader scrolls up; "Jump to live" follows them again.
 */
export function LiveCaptions({ session }: LiveCaptionsProps) {
  const { status, text, announcement, elapsedMs, error, saved, dismiss } = session;
  const scrollRef = useRef<HTMLDivElement>(null);
  const followRef = useRef(true);
  const [following, setFollowing] = useState(true);
  const over = status === "saved" || status === "error";
  const empty = text.segments.length === 0 && text.partial === null;

  const onScroll = useCallback(() => {
    const element = scrollRef.current;
    if (!element) return;
    const atBottom = element.scrollHeight - element.scrollTop - element.clientHeight <= FOLLOW_SLACK_PX;
    if (atBottom === followRef.current) return;
    followRef.current = atBottom;
    setFollowing(atBottom);
  }, []);

  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (element && followRef.current) element.scrollTop = element.scrollHeight;
  }, [text]);

  const jumpToLive = useCallback(() => {
    const element = scrollRef.current;
    followRef.current = true;
    setFollowing(true);
    if (!element) return;
    element.scrollTop = element.scrollHeight;
    // The button goes away; keep the keyboard where the text is.
    element.focus({ preventScroll: true });
  }, []);

  return (
    <Card aria-labelledby="live-transcript-heading" data-testid="live-captions" aria-busy={!over}>
      <CardHeader
        title={<span id="live-transcript-heading">Live transcript</span>}
        icon={<TextIcon />}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <StatePill status={status} />
            <span className="font-mono tabular-nums">{formatClock(elapsedMs)}</span>
          </span>
        }
        actions={
          over ? (
            <Button size="sm" variant="ghost" onClick={dismiss} data-testid="live-dismiss">
              Close
            </Button>
          ) : null
        }
      />
      <div className="relative mt-3">
        <div
          ref={scrollRef}
          onScroll={onScroll}
          tabIndex={0}
          role="region"
          aria-label="Live transcript text"
          data-testid="live-scroll"
          className="max-h-[26rem] min-h-[9rem] overflow-y-auto px-5 pb-6 pt-2 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-indigo-500 dark:focus-visible:ring-indigo-400"
        >
          {empty ? (
            <p className="text-[15px] leading-relaxed text-zinc-600 dark:text-zinc-400">
              {status === "connecting"
                ? "Connecting to the server…"
                : over
                  ? "No words were recognised."
                  : "Start speaking: the words appear here as they are recognised."}
            </p>
          ) : null}
          <ol className="space-y-2" data-testid="live-final-segments">
            {text.segments.map((segment, index) => (
              <li
                key={`${segment.start}-${index}`}
                className="fade-in flex gap-3 text-[15px] leading-relaxed"
              >
                <span className="mt-0.5 shrink-0 font-mono text-xs tabular-nums text-zinc-600 dark:text-zinc-400">
                  {formatTimestamp(segment.start)}
                </span>
                <span className="text-zinc-900 dark:text-zinc-100">
                  {segment.speaker ? <span className="font-medium">{segment.speaker}: </span> : null}
                  {segment.text}
                </span>
              </li>
            ))}
          </ol>
          {text.partial ? (
            <p data-testid="live-partial" className="mt-2 flex gap-3 text-[15px] leading-relaxed">
              <span className="mt-0.5 shrink-0 font-mono text-xs tabular-nums text-zinc-600 dark:text-zinc-400">
                {formatTimestamp(text.partial.start)}
              </span>
              <span>
                <span data-testid="live-partial-stable" className="text-zinc-700 dark:text-zinc-300">
                  {text.partial.stable}
                </span>
                <span data-testid="live-partial-guess" className="italic text-zinc-500 dark:text-zinc-400">
                  {text.partial.guess}
                </span>
              </span>
            </p>
          ) : null}
        </div>
        {!following ? (
          <button
            type="button"
            data-testid="jump-to-live"
            onClick={jumpToLive}
            className={buttonStyles({
              variant: "primary",
              size: "sm",
              className: "absolute bottom-3 left-1/2 -translate-x-1/2 rounded-full shadow-md",
            })}
          >
            <ArrowDownIcon />
            {over ? "Jump to the end" : "Jump to live"}
          </button>
        ) : null}
      </div>
      {/* Screen readers hear each settled word once; the changing guesses are not read out. */}
      <p className="sr-only" aria-live="polite" aria-atomic="true" data-testid="live-announcement">
        {announcement}
      </p>
      {status === "error" && error ? (
        <div className="border-t border-zinc-200 px-5 py-3 text-sm text-zinc-700 dark:border-zinc-800 dark:text-zinc-300">
          {error}
        </div>
      ) : status === "saved" && saved ? (
        <p className="flex items-center gap-2 border-t border-zinc-200 px-5 py-3 text-sm text-zinc-700 dark:border-zinc-800 dark:text-zinc-300">
          <SpinnerIcon className="size-4 animate-spin" /> Opening the saved transcript…
        </p>
      ) : null}
    </Card>
  );
}
