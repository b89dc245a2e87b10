"use client";

import Link from "next/link";
import { formatDateTime, formatDuration } from "@/components/shared/format";
import { languageName } from "@/components/shared/languages";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cn, focusRing } from "@/components/ui/cn";
import { SearchIcon } from "@/components/ui/icons";
import { Skeleton } from "@/components/ui/skeleton";
import { HighlightedSnippet } from "./highlighted-snippet";
import { LoadMore } from "./load-more";
import type { TranscriptSearch } from "./use-transcript-search";

/** Transcripts matching the search box, each linking to its editor. */
export function SearchResults({ search }: { search: TranscriptSearch }) {
  const { query, pending, items, error } = search;
  const count = items.length;
  const summary = pending
    ? "Searching…"
    : error && count === 0
      ? "Search failed"
      : count === 0
        ? `No transcripts match “${query}”`
        : `${count}${search.nextCursor ? "+" : ""} ${count === 1 ? "transcript matches" : "transcripts match"} “${query}”`;

  return (
    <section aria-labelledby="search-heading">
      <div className="flex items-center justify-between gap-3 border-b border-zinc-200 px-5 py-3 dark:border-zinc-800">
        <h2 id="search-heading" className="text-sm font-semibold text-zinc-900 dark:text-zinc-100">
          Transcript search
        </h2>
        <p role="status" aria-live="polite" className="truncate text-[13px] text-zinc-600 dark:text-zinc-400">
          {summary}
        </p>
      </div>

      {pending ? (
        <div aria-hidden="true" className="divide-y divide-zinc-100 dark:divide-zinc-800/80">
          {[0, 1, 2].map((index) => (
            <div key={index} className="space-y-2.5 px-5 py-4">
              <div className="flex justify-between gap-4">
                <Skeleton className="h-4 w-1/3" />
                <Skeleton className="h-3 w-28" />
              </div>
              <Skeleton className="h-3 w-11/12" />
              <Skeleton className="h-3 w-3/5" />
            </div>
          ))}
        </div>
      ) : error && count === 0 ? (
        <div className="p-5">
          <Alert
            title="Search failed"
            actions={
              <Button size="sm" variant="secondary" onClick={search.retry}>
                Try again
              </Button>
            }
          >
            {error}
          </Alert>
        </div>
      ) : count === 0 ? (
        <div className="flex flex-col items-center px-6 py-14 text-center">
          <span className="grid size-12 place-items-center rounded-2xl bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300">
            <SearchIcon className="size-6" />
          </span>
          <p className="mt-4 text-[15px] font-medium text-zinc-900 dark:text-zinc-100">
            No transcripts match “{query}”
          </p>
          <p className="mt-1.5 max-w-sm text-[13px] text-zinc-600 dark:text-zinc-400">
            Search looks at titles and transcript text. Try fewer or different words.
          </p>
        </div>
      ) : (
        <>
          <ul className="divide-y divide-zinc-100 dark:divide-zinc-800/80">
            {items.map((item) => (
              <li key={item.id}>
                <Link
                  href={`/transcripts/${encodeURIComponent(item.id)}`}
                  data-testid="search-result"
                  className={cn(
                    "group block px-5 py-4 transition-colors hover:bg-zinc-50 dark:hover:bg-zinc-800/40",
                    focusRing,
                    "focus-visible:ring-inset focus-visible:ring-offset-0",
                  )}
                >
                  <span className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
                    <span className="min-w-0 truncate font-medium text-zinc-900 group-hover:text-indigo-700 dark:text-zinc-100 dark:group-hover:text-indigo-300">
                      {item.title}
                    </span>
                    <span className="shrink-0 text-xs tabular-nums text-zinc-600 dark:text-zinc-400">
                      <time dateTime={item.createdAt}>{formatDateTime(item.createdAt)}</time>
                      {item.durationSec > 0 ? ` · ${formatDuration(item.durationSec)}` : ""}
                      {item.language ? ` · ${languageName(item.language)}` : ""}
                    </span>
                  </span>
                  {item.snippet ? (
                    <span className="mt-1.5 line-clamp-2 block text-[13px] leading-relaxed text-zinc-700 dark:text-zinc-300">
                      <HighlightedSnippet text={item.snippet} matches={item.matches} />
                    </span>
                  ) : null}
                </Link>
              </li>
            ))}
          </ul>
          <LoadMore
            hasMore={search.nextCursor !== null}
            loading={search.loadingMore}
            error={error}
            onLoadMore={search.loadMore}
            noun="results"
          />
        </>
      )}
    </section>
  );
}
