"use client";

import { useId, useState, type FormEvent, type KeyboardEvent } from "react";
import { Button } from "@/components/ui/button";
import { cn, focusRing } from "@/components/ui/cn";

const SPEAKER_COLOURS = [
  "bg-indigo-50 text-indigo-700 ring-indigo-200 dark:bg-indigo-500/10 dark:text-indigo-300 dark:ring-indigo-500/30",
  "bg-emerald-50 text-emerald-800 ring-emerald-200 dark:bg-emerald-500/10 dark:text-emerald-300 dark:ring-emerald-500/30",
  "bg-amber-50 text-amber-800 ring-amber-200 dark:bg-amber-500/10 dark:text-amber-300 dark:ring-amber-500/30",
  "bg-sky-50 text-sky-800 ring-sky-200 dark:bg-sky-500/10 dark:text-sky-300 dark:ring-sky-500/30",
  "bg-rose-50 text-rose-800 ring-rose-200 dark:bg-rose-500/10 dark:text-rose-300 dark:ring-rose-500/30",
  "bg-violet-50 text-violet-800 ring-violet-200 dark:bg-violet-500/10 dark:text-violet-300 dark:ring-violet-500/30",
  "bg-teal-50 text-teal-800 ring-teal-200 dark:bg-teal-500/10 dark:text-teal-300 dark:ring-teal-500/30",
  "bg-orange-50 text-orange-800 ring-orange-200 dark:bg-orange-500/10 dark:text-orange-300 dark:ring-orange-500/30",
];

/**
 * Label classes of the speaker at `position` among the transcript's speakers (in order of first
 * appearance), so a speaker keeps its colour when renamed.
 */
export function speakerColour(position: number): string {
  return cn(
    "inline-flex h-5 max-w-full items-center truncate whitespace-nowrap rounded-full px-2 text-[11px] font-medium ring-1 ring-inset",
    SPEAKER_COLOURS[Math.max(0, position) % SPEAKER_COLOURS.length],
  );
}

/** What the speaker panel of a segment can do; see `TranscriptDraftApi`. */
export interface SpeakerActions {
  rename: (from: string, to: string) => void;
  move: (index: number, to: string) => void;
}

export interface SpeakerPanelProps {
  /** The segment's index and speaker. */
  index: number;
  speaker: string;
  /** All speakers of the transcript, in order of first appearance. */
  speakers: string[];
  actions: SpeakerActions;
  /** Closes the panel (after an action too); focus goes back to the label. */
  onClose: () => void;
}

/** Rename a speaker everywhere, give one segment to another speaker, or merge two speakers. */
export function SpeakerPanel({ index, speaker, speakers, actions, onClose }: SpeakerPanelProps) {
  const [name, setName] = useState(speaker);
  const inputId = useId();
  const others = speakers.filter((other) => other !== speaker);

  const rename = (event: FormEvent) => {
    event.preventDefault();
    if (name.trim() && name.trim() !== speaker) actions.rename(speaker, name);
    onClose();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      onClose();
    }
  };

  return (
    <div
      role="group"
      aria-label={`Speaker ${speaker}`}
      data-testid="speaker-panel"
      onKeyDown={onKeyDown}
      className="mx-4 mb-3 flex flex-col gap-3 rounded-lg border border-zinc-200 bg-white p-3 text-sm shadow-sm dark:border-zinc-700 dark:bg-zinc-900"
    >
      <form onSubmit={rename} className="flex flex-wrap items-end gap-2">
        <label htmlFor={inputId} className="flex min-w-0 flex-1 flex-col gap-1">
          <span className="text-xs font-medium text-zinc-700 dark:text-zinc-300">
            Rename this speaker everywhere
          </span>
          <input
            id={inputId}
            data-testid="speaker-name"
            value={name}
            maxLength={100}
            autoFocus
            onChange={(event) => setName(event.target.value)}
            className={cn(
              "h-8 w-full rounded-md border border-zinc-300 bg-white px-2 text-sm text-zinc-900 dark:border-zinc-700 dark:bg-zinc-950/50 dark:text-zinc-100",
              focusRing,
            )}
          />
        </label>
        <Button type="submit" size="sm" variant="primary" disabled={!name.trim()}>
          Rename
        </Button>
        <Button type="button" size="sm" variant="ghost" onClick={onClose}>
          Cancel
        </Button>
      </form>
      {others.length > 0 ? (
        <>
          <SpeakerChoices
            label="Give this segment to"
            speakers={speakers}
            choices={others}
            testId="move-to"
            onChoose={(other) => {
              actions.move(index, other);
              onClose();
            }}
          />
          <SpeakerChoices
            label={`Merge all of ${speaker} into`}
            speakers={speakers}
            choices={others}
            testId="merge-into"
            onChoose={(other) => {
              actions.rename(speaker, other);
              onClose();
            }}
          />
        </>
      ) : null}
    </div>
  );
}

function SpeakerChoices({
  label,
  speakers,
  choices,
  testId,
  onChoose,
}: {
  label: string;
  speakers: string[];
  choices: string[];
  testId: string;
  onChoose: (speaker: string) => void;
}) {
  const labelId = useId();
  return (
    <div role="group" aria-labelledby={labelId} className="flex flex-col gap-1">
      <span id={labelId} className="text-xs font-medium text-zinc-700 dark:text-zinc-300">
        {label}
      </span>
      <span className="flex flex-wrap gap-1.5">
        {choices.map((choice) => (
          <button
            key={choice}
            type="button"
            data-testid={testId}
            onClick={() => onChoose(choice)}
            className={cn(
              speakerColour(speakers.indexOf(choice)),
              "h-7 cursor-pointer px-2.5 text-xs",
              focusRing,
            )}
          >
            {choice}
          </button>
        ))}
      </span>
    </div>
  );
}
