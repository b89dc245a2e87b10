import type { ReactNode } from "react";
import { cn, focusRing } from "./cn";
import { AlertIcon, InfoIcon, XIcon } from "./icons";

export type AlertTone = "danger" | "warning" | "info";

export interface AlertProps {
  tone?: AlertTone;
  title: ReactNode;
  children?: ReactNode;
  /** Buttons or links under the message. */
  actions?: ReactNode;
  onDismiss?: () => void;
  /** Defaults to "alert" for danger and warning, "status" for info. */
  role?: "alert" | "status";
  className?: string;
  testId?: string;
}

const tones: Record<AlertTone, { box: string; icon: string; dismiss: string }> = {
  danger: {
    box: "border-rose-200 bg-rose-50 text-rose-900 dark:border-rose-500/30 dark:bg-rose-500/10 dark:text-rose-100",
    icon: "text-rose-600 dark:text-rose-400",
    dismiss:
      "text-rose-700 hover:bg-rose-100 focus-visible:ring-offset-rose-50 dark:text-rose-300 dark:hover:bg-rose-500/20",
  },
  warning: {
    box: "border-amber-200 bg-amber-50 text-amber-950 dark:border-amber-500/30 dark:bg-amber-500/10 dark:text-amber-100",
    icon: "text-amber-600 dark:text-amber-400",
    dismiss:
      "text-amber-800 hover:bg-amber-100 focus-visible:ring-offset-amber-50 dark:text-amber-300 dark:hover:bg-amber-500/20",
  },
  info: {
    box: "border-indigo-200 bg-indigo-50 text-indigo-950 dark:border-indigo-500/30 dark:bg-indigo-500/10 dark:text-indigo-100",
    icon: "text-indigo-600 dark:text-indigo-300",
    dismiss:
      "text-indigo-700 hover:bg-indigo-100 focus-visible:ring-offset-indigo-50 dark:text-indigo-300 dark:hover:bg-indigo-500/20",
  },
};

/** An inline message box for errors, warnings and notices. */
export function Alert({
  tone = "danger",
  title,
  children,
  actions,
  onDismiss,
  role,
  className,
  testId,
}: AlertProps) {
  const style = tones[tone];
  const Icon = tone === "info" ? InfoIcon : AlertIcon;
  return (
    <div
      role={role ?? (tone === "info" ? "status" : "alert")}
      data-testid={testId}
      className={cn("flex items-start gap-3 rounded-xl border px-4 py-3", style.box, className)}
    >
      <Icon className={cn("mt-0.5 size-5 shrink-0", style.icon)} />
      <div className="min-w-0 flex-1">
        <p className="text-sm font-semibold">{title}</p>
        {children ? <div className="mt-0.5 break-words text-sm leading-relaxed">{children}</div> : null}
        {actions ? <div className="mt-3 flex flex-wrap items-center gap-2">{actions}</div> : null}
      </div>
      {onDismiss ? (
        <button
          type="button"
          onClick={onDismiss}
          aria-label="Dismiss"
          className={cn(
            "-m-1 rounded-md p-1",
            style.dismiss,
            focusRing,
            "dark:focus-visible:ring-offset-zinc-900",
          )}
        >
          <XIcon className="size-4" />
        </button>
      ) : null}
    </div>
  );
}
