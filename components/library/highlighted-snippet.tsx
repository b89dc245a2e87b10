import { Fragment } from "react";

/** Sorted, merged and clamped [start, end) ranges. */
function normalise(matches: Array<[number, number]>, length: number): Array<[number, number]> {
  const ranges = matches
    .map(([start, end]): [number, number] => [
      Math.max(0, Math.floor(start)),
      Math.min(length, Math.floor(end)),
    ])
    .filter(([start, end]) => end > start)
    .sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([range[0], range[1]]);
  }
  return merged;
}

/** A search snippet with the matched ranges in `<mark>`. */
export function HighlightedSnippet({
  text,
  matches = [],
}: {
  text: string;
  matches?: Array<[number, number]>;
}) {
  const parts: Array<{ text: string; match: boolean }> = [];
  let cursor = 0;
  for (const [start, end] of normalise(matches, text.length)) {
    if (start > cursor) parts.push({ text: text.slice(cursor, start), match: false });
    parts.push({ text: text.slice(start, end), match: true });
    cursor = end;
  }
  if (cursor < text.length) parts.push({ text: text.slice(cursor), match: false });

  return (
    <>
      {parts.map((part, index) =>
        part.match ? (
          <mark
            key={index}
            className="rounded-[3px] bg-amber-200/80 px-0.5 text-zinc-950 dark:bg-amber-400/25 dark:text-amber-50"
          >
            {part.text}
          </mark>
        ) : (
          <Fragment key={index}>{part.text}</Fragment>
        ),
      )}
    </>
  );
}
