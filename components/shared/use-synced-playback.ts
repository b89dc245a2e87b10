"use client";

import { useCallback, useEffect, useRef, useState, type RefObject } from "react";
import type { Segment } from "@/lib/contract";

export interface SyncedPlayback {
  playing: boolean;
  /** Segment under the playhead (start ≤ time < end), or -1; stays -1 until playback is first used. */
  activeIndex: number;
  seekAndPlay: (seconds: number) => void;
  toggle: () => void;
}

function indexAt(segments: Segment[], time: number): number {
  return segments.findIndex((segment) => segment.start <= time && time < segment.end);
}

/**
 * Follows an `<audio>` element and reports which segment is playing. Samples the playhead
 * once per animation frame while playing, so the highlight keeps up with short segments.
 */
export function useSyncedPlayback(
  audioRef: RefObject<HTMLAudioElement | null>,
  segments: Segment[],
): SyncedPlayback {
  const [playing, setPlaying] = useState(false);
  const [activeIndex, setActiveIndex] = useState(-1);
  // The highlight starts with the first play or seek, not at 0:00 on load.
  const engagedRef = useRef(false);
  const segmentsRef = useRef(segments);

  const sync = useCallback(() => {
    const audio = audioRef.current;
    // Setting the same index again does not re-render, so calling this every frame is cheap.
    setActiveIndex(audio && engagedRef.current ? indexAt(segmentsRef.current, audio.currentTime) : -1);
  }, [audioRef]);

  useEffect(() => {
    segmentsRef.current = segments;
    sync();
  }, [segments, sync]);

  useEffect(() => {
    const audio = audioRef.current;
    if (!audio) return;
    let frame = 0;
    const tick = () => {
      sync();
      frame = requestAnimationFrame(tick);
    };
    const onPlay = () => {
      engagedRef.current = true;
      setPlaying(true);
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(tick);
    };
    const onPause = () => {
      setPlaying(false);
      cancelAnimationFrame(frame);
      sync();
    };
    const onSeeked = () => {
      engagedRef.current = true;
      sync();
    };
    audio.addEventListener("play", onPlay);
    audio.addEventListener("pause", onPause);
    audio.addEventListener("ended", onPause);
    audio.addEventListener("seeked", onSeeked);
    audio.addEventListener("timeupdate", sync);
    if (!audio.paused) onPlay();
    return () => {
      cancelAnimationFrame(frame);
      audio.removeEventListener("play", onPlay);
      audio.removeEventListener("pause", onPause);
      audio.removeEventListener("ended", onPause);
      audio.removeEventListener("seeked", onSeeked);
      audio.removeEventListener("timeupdate", sync);
    };
  }, [audioRef, sync]);

  const seekAndPlay = useCallback(
    (seconds: number) => {
      const audio = audioRef.current;
      if (!audio) return;
      audio.currentTime = Math.max(0, seconds);
      engagedRef.current = true;
      sync();
      void audio.play().catch(() => undefined);
    },
    [audioRef, sync],
  );

  const toggle = useCallback(() => {
    const audio = audioRef.current;
    if (!audio) return;
    if (audio.paused) void audio.play().catch(() => undefined);
    else audio.pause();
  }, [audioRef]);

  return { playing, activeIndex, seekAndPlay, toggle };
}

const TEXT_ENTRY = new Set(["INPUT", "TEXTAREA", "SELECT"]);
// Space already activates these; toggling playback as well would do two things at once.
const SPACE_HANDLERS = new Set(["BUTTON", "A", "AUDIO", "VIDEO", "SUMMARY"]);

function handlesSpace(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  // Opted in: e.g. segment buttons, where Space is play/pause like in a media list.
  if (target.closest("[data-space-plays]")) return false;
  if (target.isContentEditable || TEXT_ENTRY.has(target.tagName) || SPACE_HANDLERS.has(target.tagName)) {
    return true;
  }
  return Boolean(
    target.closest('[role="button"],[role="tab"],[role="switch"],[role="checkbox"],dialog[open]'),
  );
}

/**
 * Space plays or pauses while focus is not in a text field or on a control that uses Space
 * itself (buttons, links, the native player), unless that control opts in with `data-space-plays`.
 */
export function useSpaceToPlay(toggle: () => void, enabled = true) {
  useEffect(() => {
    if (!enabled) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== " " || event.repeat || event.defaultPrevented) return;
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (handlesSpace(event.target)) return;
      event.preventDefault();
      toggle();
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [toggle, enabled]);
}
