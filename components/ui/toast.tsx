"use client";

import { useEffect } from "react";
import { focusRing, cn } from "./cn";
import { CheckCircleIcon, XIcon } from "./icons";

export interface ToastMessage {
  /** Changes for every new toast so the dismiss timer restarts. */
  id: number;
  title: string;
  description?: string;
}

export interface ToastProps {
  toast: ToastMessage | null;
  onDismiss: () => void;
  durationMs?: number;
}

/** A single success toast in the bottom-right corner, announced politely. */
export function Toast({ toast, onDismiss, durationMs = 5000 }: ToastProps) {
  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(onDismiss, durationMs);
    return () => clearTimeout(timer);
  }, [toast, onDismiss, durationMs]);

  return (
    <div
      role="status"
      aria-live="polite"
      className="pointer-events-none fixed inset-x-4 bottom-4 z-40 flex justify-end sm:inset-x-auto sm:right-6 sm:bottom-6"
    >
      {toast ? (
        <div
          key={toast.id}
          className="toast-in pointer-events-auto flex w-full max-w-sm items-start gap-3 rounded-xl border border-zinc-200 bg-white p-4 shadow-lg shadow-zinc-900/10 dark:border-zinc-700 dark:bg-zinc-800 dark:shadow-black/40"
        >
          <CheckCircleIcon className="mt-0.5 size-5 shrink-0 text-emerald-600 dark:text-emerald-400" />
          <div className="min-w-0 flex-1">
            <p className="text-sm font-semibold text-zinc-900 dark:text-zinc-50">{toast.title}</p>
            {toast.description ? (
              <p className="mt-0.5 text-[13px] text-zinc-600 dark:text-zinc-300">{toast.description}</p>
            ) : null}
          </div>
          <button
            type="button"
            onClick={onDismiss}
            aria-label="Dismiss notification"
            className={cn(
              "-m-1 rounded-md p-1 text-zinc-500 hover:bg-zinc-100 hover:text-zinc-800 dark:text-zinc-400 dark:hover:bg-zinc-700 dark:hover:text-zinc-100",
              focusRing,
            )}
          >
            <XIcon className="size-4" />
          </button>
        </div>
      ) : null}
    </div>
  );
}
