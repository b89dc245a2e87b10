"use client";

import { useEffect, useState } from "react";
import { loadSharedHealth } from "@/lib/client/health";
import type { HealthReport } from "@/lib/contract";

const RETRY_MS = 3000;
const MAX_ATTEMPTS = 5;

/**
 * The server's health report, fetched once per page load and shared (see `loadSharedHealth`).
 * Null until it arrives; asks again a few times while the server is still starting its services.
 * Never blocks rendering: callers show their defaults meanwhile.
 */
export function useSharedHealth(): HealthReport | null {
  const [health, setHealth] = useState<HealthReport | null>(null);

  useEffect(() => {
    let cancelled = false;
    let attempts = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const retry = () => {
      attempts += 1;
      if (!cancelled && attempts < MAX_ATTEMPTS) timer = setTimeout(load, RETRY_MS);
    };
    function load() {
      loadSharedHealth().then(
        (report) => {
          if (cancelled) return;
          setHealth(report);
          if (!report.summary || !report.email) retry();
        },
        () => retry(),
      );
    }

    load();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, []);

  return health;
}
