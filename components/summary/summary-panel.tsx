"use client";

import { useEffect, useId, useRef, useState } from "react";
import type { SummarizerHealth } from "@/lib/contract";
import type { TranscriptDraftApi } from "@/components/shared/transcript-draft";
import { countWords } from "@/components/shared/format";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { cn, focusRing } from "@/components/ui/cn";
import { ConfirmDialog } from "@/components/ui/dialog";
import { RefreshIcon, SparklesIcon, SpinnerIcon, StopIcon } from "@/components/ui/icons";
import { SummarizerNote } from "./summarizer-note";
import { SummaryStream } from "./summary-stream";
import type { SummarizeApi } from "./use-summarize";

export interface SummarySession {
  draft: TranscriptDraftApi;
  summarize: SummarizeApi;
}

export interface SummaryPanelProps {
  /** Null until there is a saved transcript to summarise. */
  session: SummarySession | null;
  /** From /api/health: undefined while unknown, null when not reported. */
  summarizer: SummarizerHealth | null | undefined;
  /** Why Summarise is not available without a session, e.g. "Transcribe a recording first." */
  unavailableHint?: string;
  className?: string;
}

/**
 * The summary of the transcript: Summarise streams one in from the server, Stop aborts, and the
 * result is an editable field whose edits are saved with the transcript.
 */
export function SummaryPanel({ session, summarizer, unavailableHint, className }: SummaryPanelProps) {
  const headingId = useId();
  const fieldId = useId();
  const hintId = useId();
  const [confirmOpen, setConfirmOpen] = useState(false);

  const draft = session?.draft ?? null;
  const summarize = session?.summarize ?? null;
  const state = summarize?.state ?? { kind: "idle" as const };
  const streaming = state.kind === "streaming";
  const savedSummary = draft?.saved.summary ?? "";
  // Once there is a summary the field stays, even while it is cleared, until that is saved.
  const hasSummary = Boolean(draft && (draft.summary !== "" || savedSummary !== ""));
  const textEdited = Boolean(draft && (draft.text !== draft.saved.text || draft.title !== draft.saved.title));
  const words = draft ? countWords(draft.summary) : 0;
  const empty = !hasSummary && !streaming;
  const buttonRef = useRef<HTMLButtonElement>(null);
  const stopRef = useRef<HTMLButtonElement>(null);
  const focusedStopRef = useRef(false);

  // The Summarise button is disabled while streaming: keep keyboard focus on Stop meanwhile,
  // and give it back to the button when Stop goes away.
  useEffect(() => {
    const active = document.activeElement;
    const lost = !active || active === document.body;
    if (streaming && (lost || active === buttonRef.current)) stopRef.current?.focus();
    if (!streaming) {
      if (lost && focusedStopRef.current) buttonRef.current?.focus();
      // A removed button may never report its blur.
      focusedStopRef.current = false;
    }
  }, [streaming]);

  const hint = !session
    ? (unavailableHint ?? "Available once there is a transcript.")
    : streaming
      ? "Reading the transcript… Stop keeps the current summary."
      : textEdited
        ? "Summaries use the last saved text. Save first to include your edits."
        : null;

  function onSummarise() {
    if (!summarize) return;
    if (hasSummary && summarize.isEdited()) setConfirmOpen(true);
    else summarize.start();
  }

  const button = (
    <Button
      ref={buttonRef}
      variant={hasSummary || streaming ? "secondary" : "primary"}
      size="sm"
      data-testid="summarise-button"
      onClick={onSummarise}
      disabled={!session || streaming}
      aria-describedby={hint ? hintId : undefined}
    >
      {streaming ? <SpinnerIcon /> : hasSummary ? <RefreshIcon /> : <SparklesIcon />}
      {streaming ? "Summarising…" : hasSummary ? "Regenerate" : "Summarise"}
    </Button>
  );

  return (
    <Card aria-labelledby={headingId} aria-busy={streaming || undefined} className={className}>
      <CardHeader
        icon={<SparklesIcon />}
        title={
          hasSummary && !streaming ? (
            <label id={headingId} htmlFor={fieldId}>
              Summary
            </label>
          ) : (
            <span id={headingId}>Summary</span>
          )
        }
        description={
          streaming ? (
            <span className="inline-flex items-center gap-1.5 text-indigo-700 dark:text-indigo-300">
              <span className="size-1.5 animate-pulse rounded-full bg-current" aria-hidden="true" />
              Summarising…
            </span>
          ) : draft?.summaryDirty ? (
            "Unsaved edits"
          ) : undefined
        }
      />

      <div className="flex flex-col gap-3 px-5 pt-4">
        {state.kind === "error" ? (
          <Alert
            title="No summary this time"
            testId="summary-error"
            onDismiss={summarize?.dismiss}
            actions={
              <Button size="sm" variant="secondary" onClick={() => summarize?.start()}>
                <RefreshIcon />
                Try again
              </Button>
            }
          >
            {state.message} The transcript is unchanged.
          </Alert>
        ) : null}
        {state.kind === "stopped" ? (
          <Alert tone="info" title="Stopped" onDismiss={summarize?.dismiss}>
            {hasSummary ? "The summary was not replaced." : "No summary was made."}
          </Alert>
        ) : null}

        {/* One tree for every state, so the Summarise button keeps its place (and focus). */}
        <div
          className={cn(
            empty &&
              "flex flex-col items-center rounded-xl border border-dashed border-zinc-300 px-4 pb-5 pt-7 text-center dark:border-zinc-700",
          )}
        >
          {streaming ? (
            <SummaryStream text={state.text} />
          ) : hasSummary && draft ? (
            <textarea
              id={fieldId}
              data-testid="summary-text"
              value={draft.summary}
              onChange={(event) => draft.setSummary(event.target.value)}
              spellCheck
              rows={10}
              placeholder="No summary. Write one, or Regenerate."
              className={cn(
                "block max-h-[32rem] min-h-[10rem] w-full resize-y rounded-xl border border-zinc-300 bg-white px-3.5 py-3 text-sm leading-6 text-zinc-900 shadow-inner shadow-zinc-900/[0.02] [field-sizing:content] placeholder:text-zinc-500 dark:border-zinc-700 dark:bg-zinc-950/50 dark:text-zinc-100 dark:placeholder:text-zinc-400",
                focusRing,
              )}
            />
          ) : (
            <EmptyText />
          )}

          <div
            className={cn(
              "flex flex-wrap items-center gap-x-3 gap-y-2",
              empty ? "mt-4 justify-center" : "mt-3 justify-between",
            )}
          >
            {empty ? null : (
              <p className="text-[13px] tabular-nums text-zinc-600 dark:text-zinc-400">
                {hasSummary && !streaming
                  ? `${words.toLocaleString()} ${words === 1 ? "word" : "words"}`
                  : ""}
              </p>
            )}
            <div className="flex flex-wrap items-center gap-2">
              {streaming ? (
                <Button
                  ref={stopRef}
                  size="sm"
                  variant="ghost"
                  onClick={summarize?.stop}
                  onFocus={() => {
                    focusedStopRef.current = true;
                  }}
                  onBlur={() => {
                    focusedStopRef.current = false;
                  }}
                  data-testid="summary-stop"
                >
                  <StopIcon />
                  Stop
                </Button>
              ) : null}
              {button}
            </div>
          </div>
          {hint ? (
            <p
              id={hintId}
              className={cn(
                "mt-2 text-xs leading-snug text-zinc-600 dark:text-zinc-400",
                empty ? "text-center" : "text-right",
              )}
            >
              {hint}
            </p>
          ) : null}
        </div>
      </div>

      <div className="mt-4 border-t border-zinc-200 px-5 py-3 dark:border-zinc-800">
        <SummarizerNote summarizer={summarizer} />
      </div>

      <span role="status" className="sr-only">
        {streaming ? "Summarising…" : state.kind === "done" ? "Summary ready. You can edit it." : ""}
      </span>

      <ConfirmDialog
        open={confirmOpen}
        tone="accent"
        title="Replace your summary?"
        description="You have edited this summary. A new one replaces it, and your changes to it are lost."
        confirmLabel="Replace summary"
        onConfirm={() => {
          setConfirmOpen(false);
          summarize?.start();
        }}
        onCancel={() => setConfirmOpen(false)}
        confirmTestId="confirm-regenerate"
      />
    </Card>
  );
}

function EmptyText() {
  return (
    <>
      <span className="grid size-10 place-items-center rounded-xl bg-indigo-50 text-indigo-600 dark:bg-indigo-500/10 dark:text-indigo-300">
        <SparklesIcon className="size-5" />
      </span>
      <p className="mt-3 text-sm font-medium text-zinc-900 dark:text-zinc-100">Get the gist in seconds</p>
      <p className="mt-1.5 max-w-xs text-[13px] leading-relaxed text-zinc-600 dark:text-zinc-400">
        Summarise condenses the transcript into an overview, key points and topics. Edit the result freely: it
        is saved, exported and e-mailed with the transcript.
      </p>
    </>
  );
}
