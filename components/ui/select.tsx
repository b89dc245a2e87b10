import type { ComponentProps } from "react";
import { cn, focusRing } from "./cn";
import { ChevronDownIcon } from "./icons";

/** A native `<select>` styled to match the other controls; pair it with a `<label htmlFor>`. */
export function Select({ className, children, ...props }: ComponentProps<"select">) {
  return (
    <div className="relative">
      <select
        className={cn(
          "h-9 w-full cursor-pointer appearance-none rounded-lg border border-zinc-300 bg-white pl-3 pr-9 text-sm text-zinc-900 shadow-sm transition-colors hover:border-zinc-400 disabled:cursor-not-allowed disabled:opacity-60 dark:border-zinc-700 dark:bg-zinc-800 dark:text-zinc-100 dark:hover:border-zinc-600",
          focusRing,
          className,
        )}
        {...props}
      >
        {children}
      </select>
      <ChevronDownIcon className="pointer-events-none absolute right-3 top-1/2 size-4 -translate-y-1/2 text-zinc-500 dark:text-zinc-400" />
    </div>
  );
}
