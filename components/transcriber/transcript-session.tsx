"use client";

import { useCallback, useState } from "react";
import { createPortal } from "react-dom";
import type { ApiRequestError } from "@/lib/client/request";
import type { HealthReport, Transcript } from "@/lib/contract";
import { useTranscriptDraft } from "@/components/editor/use-transcript-draft";
import { EmailAction } from "@/components/email/email-action";
import { SummaryPanel } from "@/components/summary/summary-panel";
import { useSummarize } from "@/components/summary/use-summarize";
import type { ToastMessage } from "@/components/ui/toast";
import { TranscriptEditor } from "./transcript-editor";

export interface TranscriptSessionProps {
  /** Render with `key={transcript.id}` so a new transcript starts a new draft. */
  transcript: Transcript;
  processingMs?: number;
  engineName?: string;
  /** Facts about the server's summariser and e-mail sender; null until known. */
  services: Pick<HealthReport, "summary" | "email"> | null;
  /** The page's summary column; the panel is rendered into it. */
  summaryContainer: HTMLElement | null;
  onSaved?: (transcript: Transcript) => void;
  onSaveErrorChange?: (message: string | null) => void;
  onDirtyChange?: (dirty: boolean) => void;
  /** Errors that concern the whole page (e.g. the transcript is gone), for its error area. */
  onPageError: (message: string) => void;
  onToast: (toast: ToastMessage) => void;
}

/**
 * One transcript on the main page: its draft (text, title, summary) is shared by the editor in
 * the middle column and the summary panel in the right column, so both save together.
 */
export function TranscriptSession({
  transcript,
  processingMs,
  engineName,
  services,
  summaryContainer,
  onSaved,
  onSaveErrorChange,
  onDirtyChange,
  onPageError,
  onToast,
}: TranscriptSessionProps) {
  const draft = useTranscriptDraft(transcript, { onSaved });
  const onSummaryError = useCallback(
    (error: ApiRequestError) => {
      if (error.status === 404) onPageError(error.message);
    },
    [onPageError],
  );
  const summarize = useSummarize(draft, { onError: onSummaryError });
  const [emailOpen, setEmailOpen] = useState(false);

  return (
    <>
      <TranscriptEditor
        draft={draft}
        processingMs={processingMs}
        engineName={engineName}
        saveBlocked={summarize.streaming}
        shortcutsEnabled={!emailOpen}
        onSaveErrorChange={onSaveErrorChange}
        onDirtyChange={onDirtyChange}
        actions={
          <EmailAction
            draft={draft}
            size="sm"
            outbox={services?.email?.outbox ?? false}
            onSave={draft.save}
            onSent={onToast}
            onOpenChange={setEmailOpen}
            blockedReason={summarize.streaming ? "Wait for the summary to finish." : undefined}
          />
        }
      />
      {summaryContainer
        ? createPortal(
            <SummaryPanel
              session={{ draft, summarize }}
              summarizer={services ? services.summary : undefined}
            />,
            summaryContainer,
          )
        : null}
    </>
  );
}
