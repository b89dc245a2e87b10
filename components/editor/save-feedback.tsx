import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { RefreshIcon } from "@/components/ui/icons";
import type { TranscriptDraftApi } from "@/components/shared/transcript-draft";

export interface SaveFeedbackProps {
  draft: TranscriptDraftApi;
  /** Show plain save errors here (the main page shows them in its error area instead). */
  showErrors?: boolean;
}

/** Conflict and error messages for saving, and the edits kept aside after a reload. */
export function SaveFeedback({ draft, showErrors = true }: SaveFeedbackProps) {
  const { status, kept } = draft;
  return (
    <>
      {status.kind === "conflict" ? (
        <Alert
          tone="warning"
          title="Not saved"
          testId="save-conflict"
          actions={
            <Button
              size="sm"
              variant="secondary"
              onClick={() => void draft.reload()}
              disabled={draft.reloading}
            >
              <RefreshIcon />
              {draft.reloading ? "Reloading…" : "Reload"}
            </Button>
          }
        >
          {status.message}
          {draft.reloadError ? (
            <span className="mt-1 block font-medium text-rose-800 dark:text-rose-200">
              {draft.reloadError}
            </span>
          ) : null}
        </Alert>
      ) : null}
      {showErrors && status.kind === "error" ? (
        <Alert tone="danger" title="Not saved" testId="save-error" onDismiss={draft.dismiss}>
          {status.message}
        </Alert>
      ) : null}
      {kept ? (
        <Alert
          tone="info"
          title="Showing the latest saved version"
          onDismiss={draft.discardKept}
          actions={
            <>
              <Button size="sm" variant="secondary" onClick={draft.restoreKept}>
                Restore my edits
              </Button>
              <Button size="sm" variant="ghost" onClick={draft.discardKept}>
                Discard my edits
              </Button>
            </>
          }
        >
          Your edits were kept aside. Restore them to put them back in the editor; saving then replaces the
          other version.
        </Alert>
      ) : null}
    </>
  );
}
