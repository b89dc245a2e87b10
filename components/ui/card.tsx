import type { ComponentProps, ReactNode } from "react";
import { cn } from "./cn";

export function Card({ className, ...props }: ComponentProps<"section">) {
  return (
    <section
      className={cn(
        "rounded-2xl border border-zinc-200 bg-white shadow-sm shadow-zinc-900/[0.03] dark:border-zinc-800 dark:bg-zinc-900 dark:shadow-none",
        className,
      )}
      {...props}
    />
  );
}

export interface CardHeaderProps {
  /** Heading content; may contain a `<label>` when the card wraps a single field. */
  title: ReactNode;
  description?: ReactNode;
  icon?: ReactNode;
  /** Controls aligned to the right of the heading. */
  actions?: ReactNode;
  className?: string;
}

export function CardHeader({ title, description, icon, actions, className }: CardHeaderProps) {
  return (
    <div className={cn("flex flex-wrap items-start justify-between gap-3 px-5 pt-5", className)}>
      <div className="flex min-w-0 items-start gap-2.5">
        {icon ? <span className="mt-0.5 text-zinc-500 dark:text-zinc-400 [&_svg]:size-4">{icon}</span> : null}
        <div className="min-w-0">
          <h2 className="text-[15px] font-semibold tracking-tight text-zinc-900 dark:text-zinc-50">
            {title}
          </h2>
          {description ? (
            <p className="mt-0.5 text-[13px] text-zinc-600 dark:text-zinc-400">{description}</p>
          ) : null}
        </div>
      </div>
      {actions ? <div className="flex shrink-0 items-center gap-2">{actions}</div> : null}
    </div>
  );
}
