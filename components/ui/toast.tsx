"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import { focusRing, cn } from "./cn";
import { CheckCircleIcon, XIcon } from "./icons";

export interface ToastMessage {
  /** Changes for every new toast so the dismiss timer restarts. */
  id: number;
  title: string;
  description?: string;
  /** A link under the message, e.g. to where the result can be seen. */
  action?: { label: string; href: string; testId?: string };
}

export interface ToastProps {
  toast: ToastMessage | null;
  onDismiss: () => void;
  durationMs?: number;
}

/**
 * A single success toast in the bottom-right corner, announced politely. It waits while the
 * pointer or keyboard focus is on it, and stays longer when it offers a link.
 */
export function Toast({ toast, onDismiss, durationMs = 5000 }: ToastProps) {
  return (
    <div
      role="status"
      aria-live="polite"
      className="pointer-events-none fixed inset-x-4 bottom-4 z-40 flex justify-end sm:inset-x-auto sm:right-6 sm:bottom-6"
    >
      {toast ? (
        <ToastCard key={toast.id} toast={toast} onDismiss={onDismiss} durationMs={durationMs} />
      ) : null}
    </div>
  );
}

function ToastCard({
  toast,
  onDismiss,
  durationMs,
}: ToastProps & { toast: ToastMessage; durationMs: number }) {
  const [hovered, setHovered] = useState(false);
  const [focused, setFocused] = useState(false);
  const paused = hovered || focused;
  const duration = toast.action ? Math.max(durationMs, 10_000) : durationMs;

  useEffect(() => {
    if (paused) return;
    const timer = setTimeout(onDismiss, duration);
    return () => clearTimeout(timer);
  }, [onDismiss, duration, paused]);

  return (
    <div
      data-testid="toast"
      onPointerEnter={() => setHovered(true)}
      onPointerLeave={() => setHovered(false)}
      onFocus={() => setFocused(true)}
      onBlur={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget)) setFocused(false);
      }}
      className="toast-in pointer-events-auto flex w-full max-w-sm items-start gap-3 rounded-xl border border-zinc-200 bg-white p-4 shadow-lg shadow-zinc-900/10 dark:border-zinc-700 dark:bg-zinc-800 dark:shadow-black/40"
    >
      <CheckCircleIcon className="mt-0.5 size-5 shrink-0 text-emerald-600 dark:text-emerald-400" />
      <div className="min-w-0 flex-1">
        <p className="text-sm font-semibold text-zinc-900 dark:text-zinc-50">{toast.title}</p>
        {toast.description ? (
          <p className="mt-0.5 break-words text-[13px] text-zinc-600 dark:text-zinc-300">
            {toast.description}
          </p>
        ) : null}
        {toast.action ? (
          <Link
            href={toast.action.href}
            data-testid={toast.action.testId}
            onClick={onDismiss}
            className={cn(
              "mt-1.5 inline-flex items-center rounded text-[13px] font-medium text-indigo-700 underline underline-offset-2 hover:text-indigo-800 dark:text-indigo-300 dark:hover:text-indigo-200",
              focusRing,
              "focus-visible:ring-offset-white dark:focus-visible:ring-offset-zinc-800",
            )}
          >
            {toast.action.label}
          </Link>
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
  );
}
