"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { messageOf } from "@/lib/client/request";
import { deleteTranscript } from "@/lib/client/transcriptions";
import { setFlash } from "@/components/shared/flash";
import { ConfirmDialog } from "@/components/ui/dialog";

export interface DeleteTranscriptDialogProps {
  open: boolean;
  id: string;
  title: string;
  onClose: () => void;
  /** Runs before navigating away, e.g. to stop the unsaved-changes prompt. */
  onDeleted: () => void;
}

/** Confirms, deletes the transcript with its recording, then returns to the library. */
export function DeleteTranscriptDialog({ open, id, title, onClose, onDeleted }: DeleteTranscriptDialogProps) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      await deleteTranscript(id);
      onDeleted();
      setFlash({ title: "Transcript deleted", description: `“${title}” and its recording were removed.` });
      router.push("/recordings");
    } catch (failure) {
      setError(messageOf(failure, "The transcript could not be deleted. Try again."));
      setBusy(false);
    }
  }

  return (
    <ConfirmDialog
      open={open}
      title="Delete transcript"
      description={`Delete “${title}” and its recording? This cannot be undone.`}
      confirmLabel="Delete"
      busyLabel="Deleting…"
      busy={busy}
      error={error}
      onConfirm={() => void confirm()}
      onCancel={() => {
        setError(null);
        onClose();
      }}
      confirmTestId="confirm-delete"
    />
  );
}
