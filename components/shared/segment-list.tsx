"use client";

import { useEffect, useRef } from "react";
import type { Segment } from "@/components/api/types";
import { cn, focusRing } from "@/components/ui/cn";
import { formatTimestamp } from "./format";

const SPEAKER_COLOURS = [
  "bg-indigo-50 text-indigo-700 ring-indigo-200 dark:bg-indigo-500/10 dark:text-indigo-300 dark:ring-indigo-500/30",
  "bg-emerald-50 text-emerald-800 ring-emerald-200 dark:bg-emerald-500/10 dark:text-emerald-300 dark:ring-emerald-500/30",
  "bg-amber-50 text-amber-800 ring-amber-200 dark:bg-amber-500/10 dark:text-amber-300 dark:ring-amber-500/30",
  "bg-sky-50 text-sky-800 ring-sky-200 dark:bg-sky-500/10 dark:text-sky-300 dark:ring-sky-500/30",
  "bg-rose-50 text-rose-800 ring-rose-200 dark:bg-rose-500/10 dark:text-rose-300 dark:ring-rose-500/30",
];

export interface SegmentListProps {
  segments: Segment[];
  /** Index of the segment under the playhead; it is highlighted and kept in view. */
  activeIndex?: number;
  /** Makes every segment a button, e.g. to seek the player to it. */
  onSelect?: (segment: Segment, index: number) => void;
  /** Height limits of the scrolling list (replaces the defaults). */
  heightClassName?: string;
}

const prefersReducedMotion = () =>
  typeof window !== "undefined" && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

/** Timed segments with optional speaker labels; interactive when `onSelect` is given. */
export function SegmentList({
  segments,
  activeIndex = -1,
  onSelect,
  heightClassName = "max-h-[32rem] min-h-[16rem]",
}: SegmentListProps) {
  const listRef = useRef<HTMLOListElement>(null);

  useEffect(() => {
    const list = listRef.current;
    const item = list?.children[activeIndex];
    if (!list || !(item instanceof HTMLElement)) return;
    // Scroll the list only, never the page, so reading elsewhere is not interrupted.
    const top = item.offsetTop;
    const bottom = top + item.offsetHeight;
    if (top >= list.scrollTop && bottom <= list.scrollTop + list.clientHeight) return;
    list.scrollTo({
      top: Math.max(0, top - list.clientHeight / 3),
      behavior: prefersReducedMotion() ? "auto" : "smooth",
    });
  }, [activeIndex]);

  if (segments.length === 0) {
    return (
      <p
        className={cn(
          "grid place-items-center rounded-xl border border-dashed border-zinc-300 px-4 py-10 text-center text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400",
          heightClassName,
        )}
      >
        This transcript has no timed segments.
      </p>
    );
  }
  const speakers = [...new Set(segments.map((s) => s.speaker).filter((s): s is string => Boolean(s)))];

  return (
    <ol
      ref={listRef}
      className={cn(
        "relative divide-y divide-zinc-100 overflow-y-auto rounded-xl border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800",
        heightClassName,
      )}
    >
      {segments.map((segment, index) => {
        const active = index === activeIndex;
        const content = (
          <>
            <span className="flex shrink-0 items-center gap-2 sm:w-40 sm:flex-col sm:items-start sm:gap-1">
              <span
                className={cn(
                  "whitespace-nowrap font-mono text-xs tabular-nums leading-6",
                  active ? "text-indigo-700 dark:text-indigo-300" : "text-zinc-600 dark:text-zinc-400",
                )}
              >
                [{formatTimestamp(segment.start)} – {formatTimestamp(segment.end)}]
              </span>
              {segment.speaker ? (
                <span
                  className={cn(
                    "inline-flex h-5 items-center whitespace-nowrap rounded-full px-2 text-[11px] font-medium ring-1 ring-inset",
                    SPEAKER_COLOURS[speakers.indexOf(segment.speaker) % SPEAKER_COLOURS.length],
                  )}
                >
                  {segment.speaker}
                </span>
              ) : null}
            </span>
            <span className="text-[15px] leading-6 text-zinc-800 dark:text-zinc-200">{segment.text}</span>
          </>
        );
        const layout = "flex w-full flex-col gap-1 px-4 py-3 text-left sm:flex-row sm:gap-4";
        return (
          <li
            key={`${segment.start}-${index}`}
            className={cn(
              "relative transition-colors",
              active && "bg-indigo-50/80 dark:bg-indigo-500/10",
              active &&
                "before:absolute before:inset-y-0 before:left-0 before:w-[3px] before:bg-indigo-600 dark:before:bg-indigo-400",
            )}
          >
            {onSelect ? (
              <button
                type="button"
                data-testid="segment"
                data-start={segment.start}
                data-active={active || undefined}
                aria-current={active ? "time" : undefined}
                data-space-plays=""
                onClick={() => onSelect(segment, index)}
                // Space plays and pauses (see useSpaceToPlay) instead of re-selecting; Enter selects.
                onKeyUp={(event) => {
                  if (event.key === " ") event.preventDefault();
                }}
                className={cn(
                  layout,
                  "cursor-pointer rounded-none hover:bg-zinc-50 focus-visible:relative focus-visible:z-10 dark:hover:bg-zinc-800/50",
                  active && "hover:bg-indigo-50 dark:hover:bg-indigo-500/15",
                  focusRing,
                  "focus-visible:ring-inset focus-visible:ring-offset-0",
                )}
              >
                <span className="sr-only">Play from </span>
                {content}
              </button>
            ) : (
              <div
                data-testid="segment"
                data-start={segment.start}
                aria-current={active ? "time" : undefined}
                className={layout}
              >
                {content}
              </div>
            )}
          </li>
        );
      })}
    </ol>
  );
}
