import { cn } from "./cn";

export type StatusTone = "success" | "warning" | "danger" | "neutral";

const tones: Record<StatusTone, string> = {
  success: "bg-emerald-500",
  warning: "bg-amber-500",
  danger: "bg-rose-500",
  neutral: "bg-zinc-400 dark:bg-zinc-500",
};

/** A small coloured dot; `pulse` adds a soft halo for in-progress states. */
export function StatusDot({ tone, pulse = false }: { tone: StatusTone; pulse?: boolean }) {
  return (
    <span className="relative inline-flex size-2.5 shrink-0" aria-hidden="true">
      {pulse ? (
        <span
          className={cn("absolute inline-flex size-full animate-ping rounded-full opacity-60", tones[tone])}
        />
      ) : null}
      <span className={cn("relative inline-flex size-2.5 rounded-full", tones[tone])} />
    </span>
  );
}
