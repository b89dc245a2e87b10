"use client";

import { useCallback, useEffect, useState } from "react";
import { ApiRequestError, isAbort, messageOf } from "@/lib/client/request";
import { listOutbox } from "@/lib/client/outbox";
import type { OutboxEntry } from "@/lib/contract";

export type OutboxState =
  | { status: "loading" }
  /** The server sends real e-mail, so it keeps no outbox. */
  | { status: "off"; message: string }
  | { status: "error"; message: string }
  | { status: "ready"; items: OutboxEntry[] };

export interface OutboxApi {
  state: OutboxState;
  /** True while a refresh runs over a list already shown. */
  refreshing: boolean;
  refresh: () => void;
}

/** The messages kept by the server's outbox, newest first. */
export function useOutbox(): OutboxApi {
  const [state, setState] = useState<OutboxState>({ status: "loading" });
  const [attempt, setAttempt] = useState(0);
  const [refreshing, setRefreshing] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    listOutbox(controller.signal)
      .then(
        (items) => setState({ status: "ready", items }),
        (error: unknown) => {
          if (isAbort(error) || controller.signal.aborted) return;
          if (error instanceof ApiRequestError && error.status === 404) {
            setState({ status: "off", message: error.message });
          } else {
            setState({ status: "error", message: messageOf(error, "The outbox could not be loaded.") });
          }
        },
      )
      .finally(() => {
        if (!controller.signal.aborted) setRefreshing(false);
      });
    return () => controller.abort();
  }, [attempt]);

  const refresh = useCallback(() => {
    setRefreshing(true);
    setState((current) => (current.status === "ready" ? current : { status: "loading" }));
    setAttempt((n) => n + 1);
  }, []);

  return { state, refreshing, refresh };
}
