"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { isAbort, messageOf } from "@/lib/client/request";
import { listRecordings } from "@/lib/client/recordings";
import type { RecordingMetadata } from "@/lib/contract";

export const PAGE_SIZE = 50;

interface State {
  status: "loading" | "ready" | "error";
  items: RecordingMetadata[];
  nextCursor: string | null;
  error: string | null;
}

export interface RecordingsApi extends State {
  loadingMore: boolean;
  loadMoreError: string | null;
  loadMore: () => void;
  retry: () => void;
  /** Drops a deleted recording from the list. */
  remove: (id: string) => void;
}

/** The recordings list, newest first, one page at a time. */
export function useRecordings(): RecordingsApi {
  const [state, setState] = useState<State>({ status: "loading", items: [], nextCursor: null, error: null });
  const [attempt, setAttempt] = useState(0);
  const [loadingMore, setLoadingMore] = useState(false);
  const [loadMoreError, setLoadMoreError] = useState<string | null>(null);
  const moreRef = useRef<AbortController | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    listRecordings({ limit: PAGE_SIZE }, controller.signal).then(
      (page) => setState({ status: "ready", items: page.items, nextCursor: page.nextCursor, error: null }),
      (error: unknown) => {
        if (isAbort(error) || controller.signal.aborted) return;
        setState({
          status: "error",
          items: [],
          nextCursor: null,
          error: messageOf(error, "The recordings could not be loaded."),
        });
      },
    );
    return () => {
      controller.abort();
      moreRef.current?.abort();
    };
  }, [attempt]);

  const loadMore = useCallback(() => {
    const cursor = state.nextCursor;
    if (!cursor || moreRef.current) return;
    const controller = new AbortController();
    moreRef.current = controller;
    setLoadingMore(true);
    setLoadMoreError(null);
    listRecordings({ cursor, limit: PAGE_SIZE }, controller.signal)
      .then(
        (page) =>
          setState((previous) => {
            const known = new Set(previous.items.map((item) => item.id));
            return {
              ...previous,
              items: [...previous.items, ...page.items.filter((item) => !known.has(item.id))],
              nextCursor: page.nextCursor,
            };
          }),
        (error: unknown) => {
          if (!isAbort(error)) setLoadMoreError(messageOf(error, "More recordings could not be loaded."));
        },
      )
      .finally(() => {
        if (moreRef.current === controller) moreRef.current = null;
        setLoadingMore(false);
      });
  }, [state.nextCursor]);

  const retry = useCallback(() => {
    setState({ status: "loading", items: [], nextCursor: null, error: null });
    setLoadMoreError(null);
    setAttempt((n) => n + 1);
  }, []);

  const remove = useCallback((id: string) => {
    setState((previous) => ({ ...previous, items: previous.items.filter((item) => item.id !== id) }));
  }, []);

  return { ...state, loadingMore, loadMoreError, loadMore, retry, remove };
}
