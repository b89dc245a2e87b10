"use client";

import { useEffect, useRef } from "react";
import { AlertIcon, XIcon } from "@/components/ui/icons";
import { cn, focusRing } from "@/components/ui/cn";

export interface ErrorAreaProps {
  message: string | null;
  onDismiss: () => void;
}

/**
 * Errors that belong to no single file (microphone, saving), under the job list and scrolled
 * into view when they appear. The live region is always mounted.
 */
export function ErrorArea({ message, onDismiss }: ErrorAreaProps) {
  const areaRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (message) areaRef.current?.scrollIntoView({ block: "nearest" });
  }, [message]);
  return (
    <div ref={areaRef} role="alert" data-testid="error-area" className={message ? undefined : "sr-only"}>
      {message ? (
        <div className="flex items-start gap-3 rounded-xl border border-rose-200 bg-rose-50 px-4 py-3 text-rose-900 dark:border-rose-500/30 dark:bg-rose-500/10 dark:text-rose-100">
          <AlertIcon className="mt-0.5 size-5 shrink-0 text-rose-600 dark:text-rose-400" />
          <div className="min-w-0 flex-1">
            <p className="text-sm font-semibold">Something went wrong</p>
            <p className="mt-0.5 break-words text-sm leading-relaxed">{message}</p>
          </div>
          <button
            type="button"
            onClick={onDismiss}
            aria-label="Dismiss error"
            className={cn(
              "-m-1 rounded-md p-1 text-rose-700 hover:bg-rose-100 dark:text-rose-300 dark:hover:bg-rose-500/20",
              focusRing,
              "focus-visible:ring-offset-rose-50 dark:focus-visible:ring-offset-zinc-900",
            )}
          >
            <XIcon className="size-4" />
          </button>
        </div>
      ) : null}
    </div>
  );
}
