import { cn } from "@/components/ui/cn";

/** A sentence ends at . ! ? or … (maybe followed by a closing quote or bracket) and whitespace, or at a line break. */
const COMPLETE_PIECE = /[^\n]*?(?:[.!?…]["'”’)\]]*\s|\n)/g;

/** Splits streamed text into finished sentences (which never change again) and the unfinished tail. */
export function splitStreamed(text: string): { pieces: string[]; tail: string } {
  const pieces = text.match(COMPLETE_PIECE) ?? [];
  const done = pieces.reduce((length, piece) => length + piece.length, 0);
  return { pieces, tail: text.slice(done) };
}

export interface SummaryStreamProps {
  text: string;
  className?: string;
}

/**
 * The summary while it arrives, styled like the editor it turns into. Finished sentences are
 * added as separate nodes of a polite live region, so screen readers read each sentence once
 * instead of every fragment; the unfinished tail is shown but not announced yet.
 */
export function SummaryStream({ text, className }: SummaryStreamProps) {
  const { pieces, tail } = splitStreamed(text);
  return (
    <div
      data-testid="summary-stream"
      className={cn(
        "min-h-[10rem] w-full whitespace-pre-wrap break-words rounded-xl border border-zinc-200 bg-zinc-50/70 px-3.5 py-3 text-sm leading-6 text-zinc-900 dark:border-zinc-700/80 dark:bg-zinc-950/40 dark:text-zinc-100",
        className,
      )}
    >
      {text ? (
        <>
          <span aria-live="polite" aria-relevant="additions" aria-atomic="false">
            {pieces.map((piece, index) => (
              <span key={index}>{piece}</span>
            ))}
          </span>
          <span aria-hidden="true">{tail}</span>
        </>
      ) : (
        <span className="block space-y-2.5 pt-1" aria-hidden="true">
          {["w-11/12", "w-full", "w-3/4"].map((width) => (
            <span
              key={width}
              className={cn("block h-2.5 animate-pulse rounded-full bg-zinc-200 dark:bg-zinc-800", width)}
            />
          ))}
        </span>
      )}
      {text ? (
        <span
          aria-hidden="true"
          className="ml-0.5 inline-block h-4 w-[3px] translate-y-0.5 animate-pulse rounded-sm bg-indigo-500 align-baseline dark:bg-indigo-400"
        />
      ) : null}
    </div>
  );
}
