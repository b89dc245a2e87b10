"use client";

import { useState, type RefObject } from "react";
import { cn } from "@/components/ui/cn";
import { Kbd } from "@/components/ui/kbd";

export interface AudioPlayerProps {
  src: string;
  audioRef: RefObject<HTMLAudioElement | null>;
  /** Accessible name of the player, e.g. the transcript title. */
  label: string;
  /** Shows the Space shortcut hint; pair with {@link useSpaceToPlay}. */
  shortcutHint?: boolean;
  className?: string;
}

/** The native audio controls (seekable through HTTP Range) with a load-failure message. */
export function AudioPlayer({ src, audioRef, label, shortcutHint = true, className }: AudioPlayerProps) {
  const [failed, setFailed] = useState(false);
  return (
    <div className={cn("flex flex-col gap-2", className)}>
      <audio
        ref={audioRef}
        src={src}
        controls
        preload="metadata"
        aria-label={`Audio: ${label}`}
        data-testid="audio-player"
        onError={() => setFailed(true)}
        onLoadedMetadata={() => setFailed(false)}
        className="h-10 w-full rounded-lg"
      />
      {failed ? (
        <p role="alert" className="text-[13px] text-rose-700 dark:text-rose-300">
          The audio could not be loaded. The recording may have been deleted or the server is unreachable.
        </p>
      ) : shortcutHint ? (
        <p className="flex items-center gap-1.5 text-xs text-zinc-600 dark:text-zinc-400">
          <Kbd>Space</Kbd> play or pause · click a segment to jump to it
        </p>
      ) : null}
    </div>
  );
}
