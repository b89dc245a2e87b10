"use client";

import {
  useEffect,
  useId,
  useRef,
  type KeyboardEvent,
  type MouseEvent,
  type ReactNode,
  type RefObject,
} from "react";
import { Button } from "./button";
import { cn } from "./cn";
import { AlertIcon } from "./icons";

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export interface ModalDialogProps {
  open: boolean;
  /** Called on Esc and on a click on the backdrop; ignored while `busy`. */
  onClose: () => void;
  busy?: boolean;
  /** Id of the element naming the dialog (its heading). */
  labelledBy: string;
  describedBy?: string;
  /** Receives focus when the dialog opens; defaults to the first focusable element. */
  initialFocusRef?: RefObject<HTMLElement | null>;
  /** Width and other classes for the panel (default `max-w-md`). */
  className?: string;
  testId?: string;
  /** Rendered only while open, so the content starts fresh each time. */
  children: ReactNode;
}

/**
 * A modal on the native `<dialog>` (inert background, top layer). Focus starts on
 * `initialFocusRef`, Tab is kept inside, Esc closes and focus returns to the opener on close.
 */
export function ModalDialog({
  open,
  onClose,
  busy = false,
  labelledBy,
  describedBy,
  initialFocusRef,
  className,
  testId,
  children,
}: ModalDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const busyRef = useRef(busy);
  const onCloseRef = useRef(onClose);
  const initialFocusRefRef = useRef(initialFocusRef);
  // Only a press that also started on the backdrop closes (not a text selection dragged out).
  const pressedBackdropRef = useRef(false);

  useEffect(() => {
    busyRef.current = busy;
    onCloseRef.current = onClose;
    initialFocusRefRef.current = initialFocusRef;
  });

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog || !open) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    const target =
      initialFocusRefRef.current?.current ?? dialog.querySelector<HTMLElement>(FOCUSABLE) ?? dialog;
    target.focus();
    return () => {
      if (dialog.open) dialog.close();
      // The opener may be gone (a deleted row); the caller then moves focus itself.
      if (opener?.isConnected) opener.focus();
    };
  }, [open]);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    // Esc fires `cancel`; keep the dialog under React's control instead of letting it close itself.
    const onNativeCancel = (event: Event) => {
      event.preventDefault();
      if (!busyRef.current) onCloseRef.current();
    };
    dialog.addEventListener("cancel", onNativeCancel);
    return () => dialog.removeEventListener("cancel", onNativeCancel);
  }, []);

  function onKeyDown(event: KeyboardEvent<HTMLDialogElement>) {
    if (event.key !== "Tab") return;
    const items = Array.from(ref.current?.querySelectorAll<HTMLElement>(FOCUSABLE) ?? []);
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  }

  function onClick(event: MouseEvent<HTMLDialogElement>) {
    // A click on the ::backdrop targets the dialog element itself.
    const onBackdrop = event.target === event.currentTarget && pressedBackdropRef.current;
    pressedBackdropRef.current = false;
    if (onBackdrop && !busy) onClose();
  }

  return (
    <dialog
      ref={ref}
      aria-labelledby={labelledBy}
      aria-describedby={describedBy}
      aria-modal="true"
      data-testid={testId}
      onKeyDown={onKeyDown}
      onMouseDown={(event) => {
        pressedBackdropRef.current = event.target === event.currentTarget;
      }}
      onClick={onClick}
      className={cn(
        "fade-in m-auto w-[calc(100%-2rem)] max-w-md rounded-2xl border border-zinc-200 bg-white p-0 text-zinc-900 shadow-2xl shadow-zinc-900/20 backdrop:bg-zinc-950/50 backdrop:backdrop-blur-[2px] dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:shadow-black/50",
        className,
      )}
    >
      {open ? children : null}
    </dialog>
  );
}

export interface ConfirmDialogProps {
  open: boolean;
  title: string;
  /** The question, in plain words ("Delete “x”? This cannot be undone."). */
  description: ReactNode;
  confirmLabel: string;
  /** Shown on the confirm button while `busy`. */
  busyLabel?: string;
  busy?: boolean;
  /** A failure of the confirmed action, shown inside the dialog. */
  error?: string | null;
  tone?: "danger" | "accent";
  onConfirm: () => void;
  /** Called on Cancel, Esc and a click on the backdrop; ignored while `busy`. */
  onCancel: () => void;
  confirmTestId?: string;
}

/** A modal confirmation: focus starts on Cancel, Esc cancels, focus returns to the opener. */
export function ConfirmDialog({
  open,
  title,
  description,
  confirmLabel,
  busyLabel,
  busy = false,
  error,
  tone = "danger",
  onConfirm,
  onCancel,
  confirmTestId,
}: ConfirmDialogProps) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const descriptionId = useId();
  const danger = tone === "danger";

  return (
    <ModalDialog
      open={open}
      onClose={onCancel}
      busy={busy}
      labelledBy={titleId}
      describedBy={descriptionId}
      initialFocusRef={cancelRef}
    >
      <div className="p-6">
        <div className="flex items-start gap-4">
          <span
            className={cn(
              "grid size-10 shrink-0 place-items-center rounded-full",
              danger
                ? "bg-rose-50 text-rose-600 dark:bg-rose-500/10 dark:text-rose-400"
                : "bg-indigo-50 text-indigo-600 dark:bg-indigo-500/10 dark:text-indigo-300",
            )}
          >
            <AlertIcon className="size-5" />
          </span>
          <div className="min-w-0 pt-1">
            <h2 id={titleId} className="text-base font-semibold tracking-tight text-zinc-900 dark:text-white">
              {title}
            </h2>
            <p
              id={descriptionId}
              className="mt-2 break-words text-sm leading-relaxed text-zinc-700 dark:text-zinc-300"
            >
              {description}
            </p>
            {error ? (
              <p role="alert" className="mt-3 text-sm font-medium text-rose-700 dark:text-rose-300">
                {error}
              </p>
            ) : null}
          </div>
        </div>
        <div className="mt-6 flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
          <Button ref={cancelRef} variant="secondary" onClick={onCancel} disabled={busy}>
            Cancel
          </Button>
          <Button
            variant={danger ? "danger" : "primary"}
            onClick={onConfirm}
            disabled={busy}
            data-testid={confirmTestId}
            className="dark:focus-visible:ring-offset-zinc-900"
          >
            {busy ? (busyLabel ?? confirmLabel) : confirmLabel}
          </Button>
        </div>
      </div>
    </ModalDialog>
  );
}
