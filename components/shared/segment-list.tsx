"use client";

import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import type { Segment } from "@/lib/contract";
import { cn, focusRing } from "@/components/ui/cn";
import { PencilIcon } from "@/components/ui/icons";
import { formatTimestamp } from "./format";
import { SpeakerPanel, speakerColour, type SpeakerActions } from "./speaker-panel";

export interface SegmentListProps {
  segments: Segment[];
  /** Index of the segment under the playhead; it is highlighted and kept in view. */
  activeIndex?: number;
  /** Makes every segment a button, e.g. to seek the player to it. */
  onSelect?: (segment: Segment, index: number) => void;
  /**
   * Makes each segment's text editable in place: its Edit button (click, Enter or Space) opens a
   * field; Enter or leaving the field applies the edit, Escape drops it. Called with the segment's
   * index and its new text (only when the text changed).
   */
  onEdit?: (index: number, text: string) => void;
  /**
   * Makes each speaker label a button that opens a panel to rename the speaker everywhere, give
   * the segment to another speaker or merge the speaker into another.
   */
  speakerActions?: SpeakerActions;
  /** Height limits of the scrolling list (replaces the defaults). */
  heightClassName?: string;
}

interface SegmentEdit {
  index: number;
  value: string;
}

const prefersReducedMotion = () =>
  typeof window !== "undefined" && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

/** Timed segments with optional speaker labels; interactive when `onSelect` is given. */
export function SegmentList({
  segments,
  activeIndex = -1,
  onSelect,
  onEdit,
  speakerActions,
  heightClassName = "max-h-[32rem] min-h-[16rem]",
}: SegmentListProps) {
  // Index of the segment whose speaker panel is open.
  const [speakerOpen, setSpeakerOpen] = useState<number | null>(null);
  const speakerRefocusRef = useRef<number | null>(null);
  const listRef = useRef<HTMLOListElement>(null);
  const hintId = useId();
  const [edit, setEdit] = useState<SegmentEdit | null>(null);
  // Blur also fires while the field goes away after Enter or Escape; the edit must end only once.
  const editRef = useRef<SegmentEdit | null>(null);
  const refocusRef = useRef<number | null>(null);

  const updateEdit = (next: SegmentEdit | null) => {
    editRef.current = next;
    setEdit(next);
  };

  const finishEdit = (apply: boolean, refocus: boolean) => {
    const current = editRef.current;
    if (!current) return;
    if (refocus) refocusRef.current = current.index;
    updateEdit(null);
    if (apply && current.value.trim() !== segments[current.index]?.text.trim()) {
      onEdit?.(current.index, current.value);
    }
  };

  const onEditKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      finishEdit(true, true);
    } else if (event.key === "Escape") {
      event.preventDefault();
      finishEdit(false, true);
    } else if (event.key.toLowerCase() === "s" && (event.ctrlKey || event.metaKey)) {
      // Applied before the page's save shortcut runs, so the save includes it.
      finishEdit(true, false);
    }
  };

  useEffect(() => {
    const index = refocusRef.current;
    if (edit || index === null) return;
    refocusRef.current = null;
    const buttons = listRef.current?.querySelectorAll<HTMLElement>("[data-edit-index]");
    if (buttons && buttons.length > 0) buttons[Math.min(index, buttons.length - 1)]?.focus();
  }, [edit]);

  useEffect(() => {
    const index = speakerRefocusRef.current;
    if (speakerOpen !== null || index === null) return;
    speakerRefocusRef.current = null;
    listRef.current?.querySelector<HTMLElement>(`[data-speaker-index="${index}"]`)?.focus();
  }, [speakerOpen]);

  const closeSpeaker = () => {
    speakerRefocusRef.current = speakerOpen;
    setSpeakerOpen(null);
  };

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
              {segment.speaker && !speakerActions ? (
                <span data-testid="speaker" className={speakerColour(speakers.indexOf(segment.speaker))}>
                  {segment.speaker}
                </span>
              ) : null}
            </span>
            <span className="text-[15px] leading-6 text-zinc-800 dark:text-zinc-200">{segment.text}</span>
          </>
        );
        const layout = "flex w-full flex-col gap-1 px-4 py-3 text-left sm:flex-row sm:gap-4";
        const editing = edit?.index === index ? edit : null;
        let body: ReactNode;
        if (editing) {
          body = (
            <div className={layout} data-testid="segment-editor">
              <span className="shrink-0 whitespace-nowrap font-mono text-xs tabular-nums leading-6 text-zinc-600 sm:w-40 dark:text-zinc-400">
                [{formatTimestamp(segment.start)} – {formatTimestamp(segment.end)}]
              </span>
              <span className="flex min-w-0 flex-1 flex-col gap-1">
                <textarea
                  data-testid="segment-input"
                  aria-label={`Text of the segment at ${formatTimestamp(segment.start)}`}
                  aria-describedby={hintId}
                  value={editing.value}
                  autoFocus
                  spellCheck
                  rows={Math.min(6, Math.max(2, Math.ceil(editing.value.length / 60)))}
                  onChange={(event) => updateEdit({ index, value: event.target.value })}
                  onKeyDown={onEditKeyDown}
                  onBlur={() => finishEdit(true, false)}
                  className={cn(
                    "block w-full resize-y rounded-lg border border-zinc-300 bg-white px-3 py-1.5 text-[15px] leading-6 text-zinc-900 dark:border-zinc-700 dark:bg-zinc-950/50 dark:text-zinc-100",
                    focusRing,
                  )}
                />
                <span id={hintId} className="text-xs text-zinc-600 dark:text-zinc-400">
                  Enter applies, Esc cancels. Save to keep the change.
                </span>
              </span>
            </div>
          );
        } else if (onSelect) {
          body = (
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
                onEdit && "pr-12",
                "cursor-pointer rounded-none hover:bg-zinc-50 focus-visible:relative focus-visible:z-10 dark:hover:bg-zinc-800/50",
                active && "hover:bg-indigo-50 dark:hover:bg-indigo-500/15",
                focusRing,
                "focus-visible:ring-inset focus-visible:ring-offset-0",
              )}
            >
              <span className="sr-only">Play from </span>
              {content}
            </button>
          );
        } else {
          body = (
            <div
              data-testid="segment"
              data-start={segment.start}
              aria-current={active ? "time" : undefined}
              className={cn(layout, onEdit && "pr-12")}
            >
              {content}
            </div>
          );
        }
        return (
          <li
            key={`${segment.start}-${index}`}
            className={cn(
              "group relative transition-colors",
              active && "bg-indigo-50/80 dark:bg-indigo-500/10",
              active &&
                "before:absolute before:inset-y-0 before:left-0 before:w-[3px] before:bg-indigo-600 dark:before:bg-indigo-400",
            )}
          >
            {speakerActions && segment.speaker && !editing ? (
              <div className="relative z-10 -mb-2 flex px-4 pt-3">
                <button
                  type="button"
                  data-testid="speaker"
                  data-speaker-index={index}
                  aria-expanded={speakerOpen === index}
                  aria-label={`Speaker ${segment.speaker}: rename, change or merge`}
                  title="Rename, change or merge this speaker"
                  onClick={() => setSpeakerOpen(speakerOpen === index ? null : index)}
                  className={cn(
                    speakerColour(speakers.indexOf(segment.speaker)),
                    "max-w-[16rem] cursor-pointer hover:brightness-95 dark:hover:brightness-125",
                    focusRing,
                  )}
                >
                  {segment.speaker}
                </button>
              </div>
            ) : null}
            {body}
            {speakerActions && segment.speaker && speakerOpen === index && !editing ? (
              <SpeakerPanel
                index={index}
                speaker={segment.speaker}
                speakers={speakers}
                actions={speakerActions}
                onClose={closeSpeaker}
              />
            ) : null}
            {onEdit && !editing ? (
              <button
                type="button"
                data-testid="edit-segment"
                data-edit-index={index}
                aria-label={`Edit the segment at ${formatTimestamp(segment.start)}`}
                title="Edit this segment"
                onClick={() => updateEdit({ index, value: segment.text.trim() })}
                className={cn(
                  "absolute right-2 top-2.5 z-10 grid size-8 place-items-center rounded-md text-zinc-500 opacity-70 hover:bg-zinc-100 hover:text-zinc-900 hover:opacity-100 focus-visible:opacity-100 group-hover:opacity-100 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-white",
                  focusRing,
                )}
              >
                <PencilIcon className="size-4" />
              </button>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
