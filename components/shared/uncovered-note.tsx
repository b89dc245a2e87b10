"use client";

import type { UncoveredSpeech } from "@/lib/contract";
import { Alert } from "@/components/ui/alert";
import { cn, focusRing } from "@/components/ui/cn";
import { formatTimestamp } from "./format";

/** How many stretches are listed by time before the rest are counted. */
const LISTED = 6;

/**
 * Says where the engine heard sound but found no words, so that silence in the transcript is
 * never mistaken for nothing being said; each time can be played.
 */
export function UncoveredNote({
  uncovered,
  onPlay,
}: {
  uncovered: readonly UncoveredSpeech[] | undefined;
  onPlay?: (seconds: number) => void;
}) {
  if (!uncovered?.length) return null;
  const listed = uncovered.slice(0, LISTED);
  const more = uncovered.length - listed.length;
  return (
    <Alert
      tone="info"
      testId="uncovered-note"
      title={
        uncovered.length === 1
          ? "One stretch of sound gave no words"
          : `${uncovered.length} stretches of sound gave no words`
      }
    >
      <p>
        The engine heard something there (noise, music, a cough or very unclear speech) but found no words in
        it, so the transcript is silent at:
      </p>
      <ul className="mt-1.5 flex flex-wrap gap-1.5">
        {listed.map((gap) => {
          const label = `${formatTimestamp(gap.start)}–${formatTimestamp(gap.end)}`;
          return (
            <li key={gap.start}>
              {onPlay ? (
                <button
                  type="button"
                  onClick={() => onPlay(gap.start)}
                  aria-label={`Play from ${label}`}
                  className={cn(
                    "rounded-md border border-indigo-200 px-1.5 py-0.5 font-mono text-xs tabular-nums hover:bg-indigo-100 dark:border-indigo-500/30 dark:hover:bg-indigo-500/20",
                    focusRing,
                  )}
                >
                  {label}
                </button>
              ) : (
                <span className="font-mono text-xs tabular-nums">{label}</span>
              )}
            </li>
          );
        })}
        {more > 0 ? <li className="text-xs">and {more} more</li> : null}
      </ul>
    </Alert>
  );
}
