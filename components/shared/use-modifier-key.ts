"use client";

import { useSyncExternalStore } from "react";

const subscribe = () => () => undefined;
const clientLabel = () =>
  /Mac|iPhone|iPad|iPod/.test(navigator.platform || navigator.userAgent) ? "⌘" : "Ctrl";

/** "⌘" on Apple devices, "Ctrl" elsewhere (and during server rendering). */
export function useModifierKey(): string {
  return useSyncExternalStore(subscribe, clientLabel, () => "Ctrl");
}
