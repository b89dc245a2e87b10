import Link from "next/link";
import { cn, focusRing } from "@/components/ui/cn";

export default function NotFound() {
  return (
    <main id="main" className="mx-auto flex max-w-md flex-col items-center px-6 py-24 text-center">
      <p className="font-mono text-sm font-medium text-indigo-600 dark:text-indigo-400">404</p>
      <h1 className="mt-3 text-2xl font-semibold tracking-tight text-zinc-900 dark:text-white">
        This page isn&rsquo;t here
      </h1>
      <p className="mt-3 text-[15px] leading-relaxed text-zinc-600 dark:text-zinc-400">
        The address may be mistyped, or the page may not be available yet.
      </p>
      <Link
        href="/"
        className={cn(
          "mt-8 inline-flex h-9 items-center rounded-lg bg-indigo-600 px-4 text-sm font-medium text-white shadow-sm hover:bg-indigo-700",
          focusRing,
          "focus-visible:ring-offset-zinc-50 dark:focus-visible:ring-offset-zinc-950",
        )}
      >
        Back to Transcribe
      </Link>
    </main>
  );
}
