"use client";

import { useEffect, useRef } from "react";
import { cn, focusRing } from "@/components/ui/cn";
import { SearchIcon, XIcon } from "@/components/ui/icons";
import { Kbd } from "@/components/ui/kbd";

export interface SearchBoxProps {
  value: string;
  onChange: (value: string) => void;
  /** Ids of the region the results appear in. */
  controls?: string;
}

function isTextEntry(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

/** Transcript search field; "/" focuses it from anywhere on the page, Esc clears it. */
export function SearchBox({ value, onChange, controls }: SearchBoxProps) {
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented)
        return;
      if (isTextEntry(event.target) || document.querySelector("dialog[open]")) return;
      event.preventDefault();
      inputRef.current?.focus();
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, []);

  return (
    <div role="search" className="relative">
      <label htmlFor="library-search" className="sr-only">
        Search transcripts
      </label>
      <SearchIcon className="pointer-events-none absolute left-3.5 top-1/2 size-[18px] -translate-y-1/2 text-zinc-500 dark:text-zinc-400" />
      <input
        ref={inputRef}
        id="library-search"
        type="search"
        data-testid="search-input"
        value={value}
        onChange={(event) => onChange(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Escape" && value) {
            event.preventDefault();
            onChange("");
          }
        }}
        placeholder="Search transcripts by title or text"
        autoComplete="off"
        spellCheck={false}
        aria-controls={controls}
        aria-keyshortcuts="/"
        className={cn(
          "h-11 w-full rounded-xl border border-zinc-300 bg-white pl-11 pr-12 text-[15px] text-zinc-900 shadow-sm transition-colors placeholder:text-zinc-500 hover:border-zinc-400 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:placeholder:text-zinc-400 dark:hover:border-zinc-600 [&::-webkit-search-cancel-button]:appearance-none",
          focusRing,
          "focus-visible:ring-offset-zinc-50 dark:focus-visible:ring-offset-zinc-950",
        )}
      />
      <div className="absolute right-2.5 top-1/2 flex -translate-y-1/2 items-center">
        {value ? (
          <button
            type="button"
            onClick={() => {
              onChange("");
              inputRef.current?.focus();
            }}
            aria-label="Clear search"
            className={cn(
              "rounded-md p-1.5 text-zinc-500 hover:bg-zinc-100 hover:text-zinc-800 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100",
              focusRing,
            )}
          >
            <XIcon className="size-4" />
          </button>
        ) : (
          <Kbd aria-hidden="true" className="mr-0.5">
            /
          </Kbd>
        )}
      </div>
    </div>
  );
}
