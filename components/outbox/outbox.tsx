"use client";

import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { Button, buttonStyles } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { InboxIcon, LibraryIcon, RefreshIcon, SpinnerIcon } from "@/components/ui/icons";
import { Skeleton } from "@/components/ui/skeleton";
import { OutboxItem } from "./outbox-item";
import { useOutbox } from "./use-outbox";

const pageRing = "focus-visible:ring-offset-zinc-50 dark:focus-visible:ring-offset-zinc-950";

/** `/outbox`: the messages this server kept instead of sending, because e-mail is not configured. */
export function Outbox() {
  const { state, refreshing, refresh } = useOutbox();
  const count = state.status === "ready" ? state.items.length : 0;

  return (
    <main id="main" className="mx-auto max-w-5xl px-4 py-6 sm:px-6 lg:py-8">
      <div className="flex flex-col gap-4 sm:flex-row sm:items-end sm:justify-between">
        <div>
          <h1 className="text-xl font-semibold tracking-tight text-zinc-900 dark:text-white">Outbox</h1>
          <p className="mt-1 max-w-2xl text-sm leading-relaxed text-zinc-600 dark:text-zinc-400">
            {state.status === "off"
              ? "Messages this server keeps instead of sending them."
              : "E-mail is not configured on this server, so messages are kept here instead of being delivered. Read them, or download one as an .eml file to open in any mail app."}
          </p>
        </div>
        {state.status === "ready" || refreshing ? (
          <Button
            variant="secondary"
            onClick={refresh}
            disabled={refreshing}
            aria-busy={refreshing || undefined}
            className={pageRing}
          >
            {refreshing ? <SpinnerIcon /> : <RefreshIcon />}
            Refresh
          </Button>
        ) : null}
      </div>

      <div className="mt-6">
        {state.status === "loading" ? (
          <OutboxSkeleton />
        ) : state.status === "off" ? (
          <Card className="px-6 py-12 text-center">
            <Icon />
            <h2 className="mt-4 text-[15px] font-semibold text-zinc-900 dark:text-zinc-50">
              The Outbox is off
            </h2>
            <p className="mx-auto mt-2 max-w-md text-[13px] leading-relaxed text-zinc-600 dark:text-zinc-400">
              Real e-mail is configured on this server, so messages are delivered to their recipients and none
              are kept here.
            </p>
            <Link href="/recordings" className={buttonStyles({ variant: "secondary", className: "mt-6" })}>
              <LibraryIcon />
              Back to recordings
            </Link>
          </Card>
        ) : state.status === "error" ? (
          <Alert
            title="The outbox could not be loaded"
            actions={
              <Button size="sm" variant="secondary" onClick={refresh}>
                Try again
              </Button>
            }
          >
            {state.message}
          </Alert>
        ) : count === 0 ? (
          <Card className="px-6 py-12 text-center" data-testid="outbox-empty">
            <Icon />
            <h2 className="mt-4 text-[15px] font-semibold text-zinc-900 dark:text-zinc-50">
              Nothing in the Outbox yet
            </h2>
            <p className="mx-auto mt-2 max-w-md text-[13px] leading-relaxed text-zinc-600 dark:text-zinc-400">
              Open a transcript and choose Email. The message, with the transcript, its summary and TXT and
              DOCX files, appears here.
            </p>
            <Link href="/recordings" className={buttonStyles({ variant: "primary", className: "mt-6" })}>
              <LibraryIcon />
              Go to recordings
            </Link>
          </Card>
        ) : (
          <Card className="overflow-hidden" aria-label="Kept messages">
            <ul className="divide-y divide-zinc-100 dark:divide-zinc-800/80">
              {state.status === "ready"
                ? state.items.map((message) => <OutboxItem key={message.id} message={message} />)
                : null}
            </ul>
          </Card>
        )}
      </div>

      {state.status === "ready" && count > 0 ? (
        <p className="mt-3 text-center text-xs text-zinc-600 dark:text-zinc-400" aria-live="polite">
          {count} {count === 1 ? "message" : "messages"}, newest first
        </p>
      ) : null}
    </main>
  );
}

function Icon() {
  return (
    <span className="mx-auto grid size-12 place-items-center rounded-2xl bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300">
      <InboxIcon className="size-6" />
    </span>
  );
}

function OutboxSkeleton() {
  return (
    <Card
      className="divide-y divide-zinc-100 dark:divide-zinc-800/80"
      role="status"
      aria-label="Loading the outbox"
    >
      {[0, 1, 2].map((index) => (
        <div key={index} className="flex gap-4 px-5 py-4">
          <Skeleton className="size-9 rounded-xl" />
          <div className="flex-1 space-y-2.5">
            <Skeleton className="h-4 w-1/2" />
            <Skeleton className="h-3 w-1/3" />
            <Skeleton className="h-3 w-4/5" />
          </div>
        </div>
      ))}
      <span className="sr-only">Loading the outbox…</span>
    </Card>
  );
}
