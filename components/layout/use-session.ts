"use client";

import { useEffect, useState } from "react";
import { fetchSession } from "@/lib/client/auth";
import type { SessionResponse } from "@/lib/contract";

let shared: Promise<SessionResponse> | null = null;

/** The sign-in mode and who is signed in, fetched once per page load; null until known. */
export function useSession(): SessionResponse | null {
  const [session, setSession] = useState<SessionResponse | null>(null);
  useEffect(() => {
    let cancelled = false;
    shared ??= fetchSession().catch((error: unknown) => {
      shared = null;
      throw error;
    });
    shared.then(
      (value) => {
        if (!cancelled) setSession(value);
      },
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, []);
  return session;
}
