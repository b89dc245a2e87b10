import type { ComponentProps } from "react";
import { cn } from "./cn";

/** A pulsing placeholder block; give it a size. Decorative, so hidden from assistive tech. */
export function Skeleton({ className, ...props }: ComponentProps<"div">) {
  return (
    <div
      aria-hidden="true"
      className={cn("animate-pulse rounded-md bg-zinc-200 dark:bg-zinc-800", className)}
      {...props}
    />
  );
}
