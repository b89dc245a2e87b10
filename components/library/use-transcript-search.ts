"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { isAbort, messageOf } from "@/lib/client/request";
import { listTranscripts } from "@/lib/client/transcriptions";
import type { TranscriptListItem } from "@/lib/contract";

export const SEARCH_DEBOUNCE_MS = 250;
const PAGE_SIZE = 50;

interface Results {
  /** The query these results belong to. */
  query: string;
  items: TranscriptListItem[];
  nextCursor: string | null;
  error: string | null;
}

export interface TranscriptSearch {
  /** The trimmed query being searched; empty when search is off. */
  query: string;
  /** Waiting for the debounce or the server. */
  pending: boolean;
  items: TranscriptListItem[];
  nextCursor: string | null;
  error: string | null;
  loadingMore: boolean;
  loadMore: () => void;
  retry: () => void;
}

const EMPTY: Results = { query: "", items: [], nextCursor: null, error: null };

/** Searches saved transcripts (title and text) `SEARCH_DEBOUNCE_MS` after typing stops. */
export function useTranscriptSearch(input: string): TranscriptSearch {
  const query = input.trim();
  const [results, setResults] = useState<Results>(EMPTY);
  const [attempt, setAttempt] = useState(0);
  const [loadingMore, setLoadingMore] = useState(false);
  const moreRef = useRef<AbortController | null>(null);

  useEffect(() => {
    if (!query) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      listTranscripts({ q: query, limit: PAGE_SIZE }, controller.signal).then(
        (page) => setResults({ query, items: page.items, nextCursor: page.nextCursor, error: null }),
        (error: unknown) => {
          if (isAbort(error) || controller.signal.aborted) return;
          setResults({
            query,
            items: [],
            nextCursor: null,
            error: messageOf(error, "Search failed. Try again."),
          });
        },
      );
    }, SEARCH_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
      moreRef.current?.abort();
      moreRef.current = null;
    };
  }, [query, attempt]);

  const current = results.query === query && query !== "";

  const loadMore = useCallback(() => {
    const cursor = results.nextCursor;
    if (!cursor || moreRef.current) return;
    const controller = new AbortController();
    moreRef.current = controller;
    setLoadingMore(true);
    listTranscripts({ q: results.query, cursor, limit: PAGE_SIZE }, controller.signal)
      .then(
        (page) =>
          setResults((previous) =>
            previous.query === results.query
              ? { ...previous, items: [...previous.items, ...page.items], nextCursor: page.nextCursor }
              : previous,
          ),
        (error: unknown) => {
          if (!isAbort(error)) {
            setResults((previous) => ({
              ...previous,
              error: messageOf(error, "More results could not be loaded."),
            }));
          }
        },
      )
      .finally(() => {
        if (moreRef.current === controller) moreRef.current = null;
        setLoadingMore(false);
      });
  }, [results.nextCursor, results.query]);

  const retry = useCallback(() => {
    setResults(EMPTY);
    setAttempt((n) => n + 1);
  }, []);

  return {
    query,
    pending: query !== "" && !current,
    items: current ? results.items : [],
    nextCursor: current ? results.nextCursor : null,
    error: current ? results.error : null,
    loadingMore,
    loadMore,
    retry,
  };
}
