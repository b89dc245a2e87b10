import { cn } from "@/components/ui/cn";
import { CheckIcon, SpinnerIcon } from "@/components/ui/icons";
import type { SaveStatus as Status } from "@/components/shared/transcript-draft";

export interface SaveStatusProps {
  status: Status;
  dirty: boolean;
  className?: string;
}

type State = "saving" | "conflict" | "error" | "dirty" | "saved";

function stateOf(status: Status, dirty: boolean): State {
  if (status.kind === "saving") return "saving";
  if (status.kind === "conflict") return "conflict";
  if (status.kind === "error") return "error";
  return dirty ? "dirty" : "saved";
}

const LABELS: Record<State, string> = {
  saving: "Saving…",
  conflict: "Not saved · changed elsewhere",
  error: "Not saved",
  dirty: "Unsaved changes",
  saved: "Saved",
};

/** "Saved" / "Unsaved changes" / "Saving…" / error, announced politely; `data-state` is machine-readable. */
export function SaveStatusIndicator({ status, dirty, className }: SaveStatusProps) {
  const state = stateOf(status, dirty);
  return (
    <span
      role="status"
      data-testid="save-state"
      data-state={state}
      className={cn(
        "inline-flex items-center gap-1.5 whitespace-nowrap text-[13px] font-medium",
        state === "saved" && "text-emerald-700 dark:text-emerald-400",
        state === "dirty" && "text-amber-800 dark:text-amber-300",
        state === "saving" && "text-zinc-600 dark:text-zinc-400",
        (state === "error" || state === "conflict") && "text-rose-700 dark:text-rose-300",
        className,
      )}
    >
      {state === "saving" ? (
        <SpinnerIcon className="size-3.5" />
      ) : state === "saved" ? (
        <CheckIcon className="size-3.5" />
      ) : (
        <span
          aria-hidden="true"
          className={cn("size-2 rounded-full", state === "dirty" ? "bg-amber-500" : "bg-rose-500")}
        />
      )}
      {LABELS[state]}
    </span>
  );
}
