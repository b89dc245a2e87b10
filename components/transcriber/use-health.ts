"use client";

import { useEffect, useState } from "react";
import { fetchHealth } from "@/lib/client/health";
import type { HealthReport } from "@/lib/contract";

export interface HealthState {
  health: HealthReport | null;
  /** True while the last attempt to reach /api/health failed. */
  unreachable: boolean;
}

/**
 * Loads /api/health and keeps polling until the speech engine reports ready, or that it is not
 * configured (settings are read at start-up: polling would not change that).
 */
export function useHealth(intervalMs = 2000): HealthState {
  const [state, setState] = useState<HealthState>({ health: null, unreachable: false });

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;

    async function poll() {
      let done = false;
      try {
        const health = await fetchHealth(controller.signal);
        setState({ health, unreachable: false });
        done = health.engines.speech.ready || !health.engines.speech.configured;
      } catch {
        if (controller.signal.aborted) return;
        setState((previous) => ({ ...previous, unreachable: true }));
      }
      if (!done && !controller.signal.aborted) timer = setTimeout(poll, intervalMs);
    }

    void poll();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [intervalMs]);

  return state;
}
