"use client";

import { useState } from "react";
import type { TranscriptDraftApi } from "@/components/shared/transcript-draft";
import { Button, type ButtonSize } from "@/components/ui/button";
import { MailIcon } from "@/components/ui/icons";
import type { ToastMessage } from "@/components/ui/toast";
import { EmailDialog } from "./email-dialog";

export interface EmailActionProps {
  draft: TranscriptDraftApi;
  /** From /api/health: the server keeps messages in its outbox instead of sending them. */
  outbox: boolean;
  /** Saves through the page's save flow (used by "Save them first"). */
  onSave: () => Promise<unknown>;
  /** Receives the confirmation to show as a toast. */
  onSent: (toast: ToastMessage) => void;
  /** E.g. while a summary is being made, which would not be in the message yet. */
  blockedReason?: string;
  size?: ButtonSize;
  className?: string;
  /** Lets the page pause its own shortcuts while the dialog is open. */
  onOpenChange?: (open: boolean) => void;
}

/** What to tell the user once the server accepted a message. */
export function sentToast(to: string, outbox: boolean, withSummary: boolean): ToastMessage {
  return outbox
    ? {
        id: Date.now(),
        title: "Saved to the Outbox (e-mail is not configured)",
        description: `The message to ${to} was kept on this server instead of being sent.`,
        action: { label: "Open the Outbox", href: "/outbox", testId: "toast-outbox-link" },
      }
    : {
        id: Date.now(),
        title: `Sent to ${to}`,
        description: `The transcript${withSummary ? ", its summary" : ""} and settings, with TXT and DOCX files.`,
      };
}

/** The "Email" button and its dialog, for a saved transcript. */
export function EmailAction({
  draft,
  outbox,
  onSave,
  onSent,
  blockedReason,
  size = "md",
  className,
  onOpenChange,
}: EmailActionProps) {
  const [open, setOpen] = useState(false);
  const unsaved = !draft.saved.id;
  const reason = unsaved ? "Save the transcript before e-mailing it." : blockedReason;

  const change = (next: boolean) => {
    setOpen(next);
    onOpenChange?.(next);
  };

  return (
    <>
      <Button
        variant="secondary"
        size={size}
        data-testid="email-button"
        onClick={() => change(true)}
        disabled={Boolean(reason)}
        title={reason ?? "E-mail the transcript, its summary and settings"}
        aria-haspopup="dialog"
        className={className}
      >
        <MailIcon />
        Email
      </Button>
      <EmailDialog
        open={open}
        onClose={() => change(false)}
        draft={draft}
        outbox={outbox}
        onSave={onSave}
        onSent={(to) => {
          change(false);
          onSent(sentToast(to, outbox, Boolean(draft.saved.summary)));
        }}
      />
    </>
  );
}
