"use client";

import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode, type RefObject } from "react";
import { ApiRequestError, messageOf } from "@/lib/client/request";
import { emailTranscript } from "@/lib/client/email";
import type { TranscriptDraftApi } from "@/components/shared/transcript-draft";
import { countWords } from "@/components/shared/format";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cn, focusRing } from "@/components/ui/cn";
import { ModalDialog } from "@/components/ui/dialog";
import {
  CheckIcon,
  InboxIcon,
  MailIcon,
  PaperclipIcon,
  SaveIcon,
  SendIcon,
  SpinnerIcon,
} from "@/components/ui/icons";
import { addressProblem, rememberAddress, rememberedAddress, serverAddressProblem } from "./address";

export interface EmailDialogProps {
  open: boolean;
  onClose: () => void;
  draft: TranscriptDraftApi;
  /** The server keeps messages in its local outbox instead of sending them. */
  outbox: boolean;
  /** Saves the draft through the page's save flow. */
  onSave: () => Promise<unknown>;
  /** The server accepted the message for `to`; the page closes the dialog and says so. */
  onSent: (to: string) => void;
}

/** Asks for an address and e-mails the saved transcript with its summary, settings and files. */
export function EmailDialog({ open, onClose, draft, outbox, onSave, onSent }: EmailDialogProps) {
  const titleId = useId();
  const descriptionId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);

  return (
    <ModalDialog
      open={open}
      onClose={onClose}
      busy={busy}
      labelledBy={titleId}
      describedBy={descriptionId}
      initialFocusRef={inputRef}
      testId="email-dialog"
      className="max-w-lg"
    >
      <EmailForm
        titleId={titleId}
        descriptionId={descriptionId}
        inputRef={inputRef}
        draft={draft}
        outbox={outbox}
        onSave={onSave}
        onSent={onSent}
        onClose={onClose}
        onBusyChange={setBusy}
      />
    </ModalDialog>
  );
}

interface EmailFormProps extends Omit<EmailDialogProps, "open"> {
  titleId: string;
  descriptionId: string;
  inputRef: RefObject<HTMLInputElement | null>;
  onBusyChange: (busy: boolean) => void;
}

/** Mounted only while the dialog is open, so every opening starts fresh. */
function EmailForm({
  titleId,
  descriptionId,
  inputRef,
  draft,
  outbox,
  onSave,
  onSent,
  onClose,
  onBusyChange,
}: EmailFormProps) {
  const fieldId = useId();
  const fieldErrorId = useId();
  const noteId = useId();
  const [to, setTo] = useState(rememberedAddress);
  const [attempted, setAttempted] = useState(false);
  const [serverFieldError, setServerFieldError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);

  useEffect(() => {
    onBusyChange(sending);
  }, [sending, onBusyChange]);
  useEffect(() => () => onBusyChange(false), [onBusyChange]);

  const { saved } = draft;
  const title = saved.title || "Untitled transcript";
  const words = countWords(saved.text);
  const saving = draft.status.kind === "saving";
  const saveProblem =
    draft.status.kind === "error" || draft.status.kind === "conflict" ? draft.status.message : null;
  const fieldError = (attempted ? addressProblem(to) : null) ?? serverFieldError;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (sending) return;
    setAttempted(true);
    setError(null);
    setServerFieldError(null);
    const address = to.trim();
    if (addressProblem(address)) {
      inputRef.current?.focus();
      return;
    }
    setSending(true);
    try {
      await emailTranscript(saved.id, address);
      rememberAddress(address);
      setSending(false);
      onSent(address);
    } catch (failure) {
      setSending(false);
      if (failure instanceof ApiRequestError && failure.code === "validation_failed") {
        setServerFieldError(serverAddressProblem(failure.message));
        inputRef.current?.focus();
      } else {
        setError(messageOf(failure, "The e-mail could not be sent. Try again in a moment."));
      }
    }
  }

  return (
    <form noValidate onSubmit={(event) => void submit(event)} className="p-6">
      <div className="flex items-start gap-4">
        <span className="grid size-10 shrink-0 place-items-center rounded-full bg-indigo-50 text-indigo-600 dark:bg-indigo-500/10 dark:text-indigo-300">
          <MailIcon className="size-5" />
        </span>
        <div className="min-w-0 pt-1">
          <h2 id={titleId} className="text-base font-semibold tracking-tight text-zinc-900 dark:text-white">
            E-mail transcript
          </h2>
          <p
            id={descriptionId}
            className="mt-1 break-words text-sm leading-relaxed text-zinc-700 dark:text-zinc-300"
          >
            Send “{title}” to one address.
          </p>
        </div>
      </div>

      {draft.dirty ? (
        <Alert
          tone="warning"
          title="Your latest edits are not saved"
          className="mt-5"
          role="status"
          actions={
            <Button
              size="sm"
              variant="secondary"
              onClick={() => void onSave()}
              disabled={saving || sending}
              className="focus-visible:ring-offset-amber-50 dark:focus-visible:ring-offset-zinc-900"
            >
              {saving ? <SpinnerIcon /> : <SaveIcon />}
              {saving ? "Saving…" : "Save them first"}
            </Button>
          }
        >
          The last saved version is sent unless you save first.
          {saveProblem ? (
            <span className="mt-1 block font-medium text-rose-800 dark:text-rose-200">{saveProblem}</span>
          ) : null}
        </Alert>
      ) : null}

      <div className="mt-5">
        <label htmlFor={fieldId} className="text-sm font-medium text-zinc-900 dark:text-zinc-100">
          Recipient’s e-mail address
        </label>
        <input
          ref={inputRef}
          id={fieldId}
          data-testid="email-input"
          type="email"
          name="email"
          autoComplete="email"
          inputMode="email"
          spellCheck={false}
          autoCapitalize="off"
          required
          maxLength={254}
          placeholder="name@example.com"
          value={to}
          onChange={(event) => {
            setTo(event.target.value);
            setServerFieldError(null);
          }}
          aria-invalid={fieldError ? true : undefined}
          aria-describedby={cn(fieldError && fieldErrorId, noteId) || undefined}
          readOnly={sending}
          className={cn(
            "mt-2 block h-10 w-full rounded-lg border bg-white px-3 text-[15px] text-zinc-900 shadow-sm placeholder:text-zinc-500 read-only:opacity-70 dark:bg-zinc-950/50 dark:text-zinc-100 dark:placeholder:text-zinc-400",
            fieldError
              ? "border-rose-500 dark:border-rose-400"
              : "border-zinc-300 hover:border-zinc-400 dark:border-zinc-700 dark:hover:border-zinc-600",
            focusRing,
            "dark:focus-visible:ring-offset-zinc-900",
          )}
        />
        {fieldError ? (
          <p
            id={fieldErrorId}
            data-testid="email-input-error"
            className="mt-1.5 text-[13px] font-medium text-rose-700 dark:text-rose-300"
          >
            {fieldError}
          </p>
        ) : null}
      </div>

      <div
        id={noteId}
        className="mt-5 rounded-xl border border-zinc-200 bg-zinc-50 px-4 py-3 dark:border-zinc-800 dark:bg-zinc-950/40"
      >
        <p className="text-[11px] font-medium uppercase tracking-wider text-zinc-600 dark:text-zinc-400">
          The message contains
        </p>
        <ul className="mt-2 space-y-1.5 text-[13px] text-zinc-800 dark:text-zinc-200">
          <Included>
            The transcript{" "}
            <span className="text-zinc-600 dark:text-zinc-400">
              ({words.toLocaleString()} {words === 1 ? "word" : "words"})
            </span>
          </Included>
          <Included off={!saved.summary}>
            {saved.summary ? "The summary" : "No summary yet — Summarise first to include one"}
          </Included>
          <Included>Settings: language, speaker identification, engine</Included>
          <li className="flex flex-wrap items-center gap-1.5 pt-0.5">
            <PaperclipIcon className="size-3.5 shrink-0 text-zinc-500 dark:text-zinc-400" />
            <span className="sr-only">Attachments:</span>
            <AttachmentChip label="TXT" detail="plain text" />
            <AttachmentChip label="DOCX" detail="Word" />
          </li>
        </ul>
        {outbox ? (
          <p className="mt-3 flex items-start gap-2 border-t border-zinc-200 pt-3 text-[13px] leading-snug text-zinc-700 dark:border-zinc-800 dark:text-zinc-300">
            <InboxIcon className="mt-px size-4 shrink-0 text-zinc-500 dark:text-zinc-400" />
            <span>
              E-mail is not configured on this server, so the message is kept in the Outbox, where you can
              read and download it.
            </span>
          </p>
        ) : null}
      </div>

      {error ? (
        <Alert title="Not sent" className="mt-4" testId="email-error">
          {error}
        </Alert>
      ) : null}

      <div className="mt-6 flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <Button variant="secondary" onClick={onClose} disabled={sending}>
          Cancel
        </Button>
        <Button
          type="submit"
          variant="primary"
          data-testid="email-send"
          // Not `disabled`: the focused button would drop focus out of the dialog.
          aria-disabled={sending || undefined}
          className={cn("dark:focus-visible:ring-offset-zinc-900", sending && "cursor-progress opacity-80")}
        >
          {sending ? <SpinnerIcon /> : <SendIcon />}
          {sending ? "Sending…" : "Send"}
        </Button>
      </div>
      <span role="status" className="sr-only">
        {sending ? "Sending…" : ""}
      </span>
    </form>
  );
}

function Included({ children, off = false }: { children: ReactNode; off?: boolean }) {
  return (
    <li className={cn("flex items-start gap-2", off && "text-zinc-600 dark:text-zinc-400")}>
      {off ? (
        <span aria-hidden="true" className="mt-[7px] block h-px w-3.5 shrink-0 bg-current" />
      ) : (
        <CheckIcon className="mt-0.5 size-3.5 shrink-0 text-emerald-600 dark:text-emerald-400" />
      )}
      <span>{children}</span>
    </li>
  );
}

function AttachmentChip({ label, detail }: { label: string; detail: string }) {
  return (
    <span className="inline-flex items-center gap-1 rounded-md border border-zinc-200 bg-white px-1.5 py-0.5 text-xs text-zinc-700 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-300">
      <span className="font-mono font-semibold text-zinc-900 dark:text-zinc-100">{label}</span>
      {detail}
    </span>
  );
}
