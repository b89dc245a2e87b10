import { Button } from "@/components/ui/button";
import { SpinnerIcon } from "@/components/ui/icons";

export interface LoadMoreProps {
  hasMore: boolean;
  loading: boolean;
  error: string | null;
  onLoadMore: () => void;
  /** Plural noun for the button label, e.g. "recordings". */
  noun: string;
}

/** The footer of a paged list: a Load more button and its error. */
export function LoadMore({ hasMore, loading, error, onLoadMore, noun }: LoadMoreProps) {
  if (!hasMore && !error) return null;
  return (
    <div className="flex flex-col items-center gap-2 border-t border-zinc-200 px-5 py-4 dark:border-zinc-800">
      {error ? (
        <p role="alert" className="text-[13px] text-rose-700 dark:text-rose-300">
          {error}
        </p>
      ) : null}
      {hasMore ? (
        <Button
          variant="secondary"
          onClick={onLoadMore}
          disabled={loading}
          data-testid="load-more"
          aria-busy={loading}
        >
          {loading ? <SpinnerIcon /> : null}
          {loading ? "Loading…" : error ? "Try again" : `Load more ${noun}`}
        </Button>
      ) : null}
    </div>
  );
}
