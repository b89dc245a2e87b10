"use client";

import { useCallback, useEffect, useRef, useState, type RefObject } from "react";
import { recordingAudioUrl } from "@/lib/client/recordings";

export interface SharedAudio {
  /** Recording loaded in the player, playing or paused. */
  currentId: string | null;
  playing: boolean;
  /** Seconds. */
  position: number;
  /** Seconds; NaN until known. */
  duration: number;
  /** The recording that failed to play, if any. */
  failedId: string | null;
  toggle: (id: string) => void;
  /** Stops and unloads `id` if it is the current recording. */
  release: (id: string) => void;
}

/**
 * Drives one `<audio>` element (rendered by the caller) for a whole list: playing a row stops
 * whatever played before.
 */
export function useSharedAudio(audioRef: RefObject<HTMLAudioElement | null>): SharedAudio {
  const [currentId, setCurrentId] = useState<string | null>(null);
  const [playing, setPlaying] = useState(false);
  const [position, setPosition] = useState(0);
  const [duration, setDuration] = useState(NaN);
  const [failedId, setFailedId] = useState<string | null>(null);
  const currentRef = useRef<string | null>(null);

  useEffect(() => {
    const audio = audioRef.current;
    if (!audio) return;
    const onPlay = () => setPlaying(true);
    const onPause = () => setPlaying(false);
    const onTime = () => setPosition(audio.currentTime);
    const onDuration = () => setDuration(audio.duration);
    const onEnded = () => {
      setPlaying(false);
      setPosition(0);
      audio.currentTime = 0;
    };
    const onError = () => {
      // Unloading (src removed) also raises an error; only report failures of a real source.
      if (!audio.getAttribute("src")) return;
      setPlaying(false);
      setFailedId(currentRef.current);
    };
    audio.addEventListener("play", onPlay);
    audio.addEventListener("pause", onPause);
    audio.addEventListener("timeupdate", onTime);
    audio.addEventListener("durationchange", onDuration);
    audio.addEventListener("ended", onEnded);
    audio.addEventListener("error", onError);
    return () => {
      audio.pause();
      audio.removeEventListener("play", onPlay);
      audio.removeEventListener("pause", onPause);
      audio.removeEventListener("timeupdate", onTime);
      audio.removeEventListener("durationchange", onDuration);
      audio.removeEventListener("ended", onEnded);
      audio.removeEventListener("error", onError);
    };
  }, [audioRef]);

  const toggle = useCallback(
    (id: string) => {
      const audio = audioRef.current;
      if (!audio) return;
      setFailedId(null);
      if (currentRef.current === id) {
        if (audio.paused) void audio.play().catch(() => undefined);
        else audio.pause();
        return;
      }
      currentRef.current = id;
      setCurrentId(id);
      setPosition(0);
      setDuration(NaN);
      audio.src = recordingAudioUrl(id);
      // Rejections are either a newer play() superseding this one or a load error, reported via `error`.
      void audio.play().catch(() => undefined);
    },
    [audioRef],
  );

  const release = useCallback(
    (id: string) => {
      const audio = audioRef.current;
      if (!audio || currentRef.current !== id) return;
      audio.pause();
      audio.removeAttribute("src");
      audio.load();
      currentRef.current = null;
      setCurrentId(null);
      setPlaying(false);
      setPosition(0);
    },
    [audioRef],
  );

  return { currentId, playing, position, duration, failedId, toggle, release };
}
