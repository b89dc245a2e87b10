"use client";

import { useId, useState } from "react";
import { outboxDownloadUrl } from "@/lib/client/outbox";
import type { OutboxEntry } from "@/lib/contract";
import { formatBytes, formatDateTime } from "@/components/shared/format";
import { Button, buttonStyles } from "@/components/ui/button";
import { cn, focusRing } from "@/components/ui/cn";
import { ChevronDownIcon, DownloadIcon, MailIcon, PaperclipIcon } from "@/components/ui/icons";

const SNIPPET_CHARS = 220;

/** The first lines of the body, on one line, for the collapsed view. */
function snippetOf(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > SNIPPET_CHARS ? `${flat.slice(0, SNIPPET_CHARS).trimEnd()}…` : flat;
}

/** One kept message: who and when, its attachments, the plain-text body on request, the .eml. */
export function OutboxItem({ message }: { message: OutboxEntry }) {
  const [open, setOpen] = useState(false);
  const previewId = useId();
  const subjectId = useId();

  return (
    <li
      data-testid="outbox-item"
      data-message-id={message.id}
      aria-labelledby={subjectId}
      className="px-5 py-4 transition-colors hover:bg-zinc-50/70 dark:hover:bg-zinc-800/20"
    >
      <div className="flex items-start gap-4">
        <span className="mt-0.5 hidden size-9 shrink-0 place-items-center rounded-xl bg-indigo-50 text-indigo-600 dark:bg-indigo-500/10 dark:text-indigo-300 sm:grid">
          <MailIcon className="size-[18px]" />
        </span>
        <div className="min-w-0 flex-1">
          <div className="flex flex-col gap-2 sm:flex-row sm:items-start sm:justify-between sm:gap-4">
            <div className="min-w-0">
              <h2
                id={subjectId}
                data-testid="outbox-subject"
                className="break-words text-[15px] font-semibold tracking-tight text-zinc-900 dark:text-zinc-50"
              >
                {message.subject}
              </h2>
              <p className="mt-0.5 flex flex-wrap gap-x-2 text-[13px] text-zinc-600 dark:text-zinc-400">
                <span>
                  To <span className="font-medium text-zinc-800 dark:text-zinc-200">{message.to}</span>
                </span>
                <span aria-hidden="true">·</span>
                <time dateTime={message.createdAt}>{formatDateTime(message.createdAt)}</time>
                <span aria-hidden="true">·</span>
                <span className="tabular-nums">{formatBytes(message.sizeBytes)}</span>
              </p>
            </div>
            <a
              href={outboxDownloadUrl(message.id)}
              download
              data-testid="outbox-download"
              className={buttonStyles({ variant: "secondary", size: "sm", className: "self-start" })}
            >
              <DownloadIcon />
              Download .eml
              <span className="sr-only">: {message.subject}</span>
            </a>
          </div>

          {message.attachments.length > 0 ? (
            <ul className="mt-3 flex flex-wrap gap-1.5" aria-label="Attachments">
              {message.attachments.map((attachment) => (
                <li
                  key={attachment.filename}
                  className="inline-flex max-w-full items-center gap-1.5 rounded-md border border-zinc-200 bg-white px-2 py-1 text-xs text-zinc-700 dark:border-zinc-700 dark:bg-zinc-800/60 dark:text-zinc-300"
                >
                  <PaperclipIcon className="size-3.5 shrink-0 text-zinc-500 dark:text-zinc-400" />
                  <span className="truncate font-medium text-zinc-900 dark:text-zinc-100">
                    {attachment.filename}
                  </span>
                  <span className="tabular-nums text-zinc-600 dark:text-zinc-400">
                    {formatBytes(attachment.sizeBytes)}
                  </span>
                </li>
              ))}
            </ul>
          ) : null}

          {open ? (
            <div
              id={previewId}
              data-testid="outbox-preview"
              role="region"
              aria-label={`Message text: ${message.subject}`}
              tabIndex={0}
              className={cn(
                "mt-3 max-h-[28rem] overflow-auto whitespace-pre-wrap break-words rounded-xl border border-zinc-200 bg-zinc-50 px-4 py-3 text-[13px] leading-6 text-zinc-800 dark:border-zinc-800 dark:bg-zinc-950/50 dark:text-zinc-200",
                focusRing,
              )}
            >
              <p className="mb-2 text-xs text-zinc-600 dark:text-zinc-400">From {message.from}</p>
              {message.text}
            </div>
          ) : message.text ? (
            <p className="mt-3 line-clamp-2 text-[13px] leading-relaxed text-zinc-600 dark:text-zinc-400">
              {snippetOf(message.text)}
            </p>
          ) : null}

          {message.text ? (
            <Button
              variant="ghost"
              size="sm"
              className="-ml-2.5 mt-1.5"
              aria-expanded={open}
              aria-controls={open ? previewId : undefined}
              data-testid="outbox-toggle"
              onClick={() => setOpen((value) => !value)}
            >
              <ChevronDownIcon className={cn("transition-transform", open && "rotate-180")} />
              {open ? "Hide message" : "Show message"}
            </Button>
          ) : null}
        </div>
      </div>
    </li>
  );
}
