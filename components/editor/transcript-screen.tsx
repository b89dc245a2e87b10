"use client";

import Link from "next/link";
import { buttonStyles } from "@/components/ui/button";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { ProgressBar } from "@/components/ui/progress-bar";
import { Skeleton } from "@/components/ui/skeleton";
import { Button } from "@/components/ui/button";
import { TranscriptWorkspace } from "./transcript-workspace";
import { useTranscript } from "./use-transcript";

const pageRing = "focus-visible:ring-offset-zinc-50 dark:focus-visible:ring-offset-zinc-950";

/** `/transcripts/[id]`: loads the transcription and shows the editor or what went wrong. */
export function TranscriptScreen({ id }: { id: string }) {
  const { state, retry } = useTranscript(id);

  if (state.kind === "ready")
    return <TranscriptWorkspace key={state.transcript.id} transcript={state.transcript} />;

  return (
    <main id="main" className="mx-auto max-w-[1480px] px-4 py-6 sm:px-6 lg:py-8">
      {state.kind === "loading" ? (
        <TranscriptSkeleton />
      ) : state.kind === "not-found" ? (
        <Message
          eyebrow="404"
          title="Transcript not found"
          body="It may have been deleted, or the link is incomplete."
        />
      ) : state.kind === "error" ? (
        <div className="mx-auto max-w-xl py-16">
          <Alert
            title="The transcript could not be loaded"
            actions={
              <>
                <Button size="sm" variant="secondary" onClick={retry}>
                  Try again
                </Button>
                <Link href="/recordings" className={buttonStyles({ variant: "ghost", size: "sm" })}>
                  Back to recordings
                </Link>
              </>
            }
          >
            {state.message}
          </Alert>
        </div>
      ) : state.kind === "failed" ? (
        <Message
          eyebrow="Transcription failed"
          title="This recording could not be transcribed"
          body={state.message}
        />
      ) : (
        <div className="mx-auto max-w-xl py-16">
          <Card className="p-6">
            <h1 className="text-lg font-semibold tracking-tight text-zinc-900 dark:text-white">
              Still transcribing…
            </h1>
            <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
              The transcript opens here as soon as it is ready.
            </p>
            <ProgressBar
              className="mt-5"
              label={state.running ? `Transcribing ${Math.round(state.progress * 100)} %` : "Queued…"}
              value={state.progress * 100}
              indeterminate={!state.running}
            />
          </Card>
        </div>
      )}
    </main>
  );
}

function Message({ eyebrow, title, body }: { eyebrow: string; title: string; body: string }) {
  return (
    <div className="mx-auto flex max-w-md flex-col items-center py-20 text-center">
      <p className="font-mono text-sm font-medium text-indigo-600 dark:text-indigo-400">{eyebrow}</p>
      <h1 className="mt-3 text-2xl font-semibold tracking-tight text-zinc-900 dark:text-white">{title}</h1>
      <p role="alert" className="mt-3 text-[15px] leading-relaxed text-zinc-600 dark:text-zinc-400">
        {body}
      </p>
      <Link
        href="/recordings"
        className={buttonStyles({ variant: "primary", className: `mt-8 ${pageRing}` })}
      >
        Back to recordings
      </Link>
    </div>
  );
}

function TranscriptSkeleton() {
  return (
    <div role="status" aria-label="Loading transcript">
      <Skeleton className="h-4 w-24" />
      <div className="mt-5 flex flex-col gap-4 xl:flex-row xl:justify-between">
        <div className="flex-1 space-y-3">
          <Skeleton className="h-8 w-2/3 max-w-lg rounded-lg" />
          <Skeleton className="h-4 w-1/2 max-w-md" />
        </div>
        <div className="flex gap-3">
          <Skeleton className="h-9 w-24 rounded-lg" />
          <Skeleton className="h-9 w-28 rounded-lg" />
        </div>
      </div>
      <div className="mt-8 grid gap-6 lg:grid-cols-[minmax(0,1fr)_24rem] xl:grid-cols-[minmax(0,1fr)_28rem]">
        <Card className="space-y-3 p-5">
          <Skeleton className="h-4 w-32" />
          <div className="space-y-3 pt-3">
            {["w-11/12", "w-full", "w-4/5", "w-full", "w-3/4", "w-full", "w-2/3"].map((width, index) => (
              <Skeleton key={index} className={`h-3 rounded-full ${width}`} />
            ))}
          </div>
        </Card>
        <Card className="space-y-4 p-5">
          <Skeleton className="h-4 w-20" />
          <Skeleton className="h-10 w-full rounded-lg" />
          {[0, 1, 2, 3].map((index) => (
            <Skeleton key={index} className="h-12 w-full rounded-lg" />
          ))}
        </Card>
      </div>
      <span className="sr-only">Loading transcript…</span>
    </div>
  );
}
