"use client";

import { useRef, type ChangeEvent } from "react";
import { formatBytes } from "@/components/shared/format";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { UploadIcon } from "@/components/ui/icons";

export interface UploadDropzoneProps {
  /** Each chosen file becomes its own job. */
  onFiles: (files: File[]) => void;
  /** Server upload limit in bytes, when known. */
  maxBytes?: number;
}

export function UploadDropzone({ onFiles, maxBytes }: UploadDropzoneProps) {
  const inputRef = useRef<HTMLInputElement>(null);

  function onChange(event: ChangeEvent<HTMLInputElement>) {
    const files = Array.from(event.target.files ?? []);
    // Reset so choosing the same files again still fires a change event.
    event.target.value = "";
    if (files.length > 0) onFiles(files);
  }

  return (
    <div
      className={cn(
        "flex h-full flex-col items-center justify-center gap-3 rounded-xl border-2 border-dashed px-4 py-6 text-center transition-colors",
        "border-zinc-300 hover:border-indigo-400 dark:border-zinc-700 dark:hover:border-indigo-500/70",
      )}
    >
      <span className="grid size-10 place-items-center rounded-full bg-indigo-50 text-indigo-600 ring-1 ring-indigo-100 dark:bg-indigo-500/10 dark:text-indigo-300 dark:ring-indigo-500/20">
        <UploadIcon className="size-5" />
      </span>
      <div>
        <h2 className="text-sm font-semibold text-zinc-900 dark:text-zinc-100">Upload files</h2>
        <p className="mt-1 text-[13px] text-zinc-600 dark:text-zinc-400">
          Drag them anywhere onto this page, or
        </p>
      </div>
      <input
        ref={inputRef}
        type="file"
        multiple
        accept="audio/*,video/*"
        data-testid="file-input"
        aria-label="Audio or video files"
        tabIndex={-1}
        className="sr-only"
        onChange={onChange}
      />
      <Button variant="secondary" onClick={() => inputRef.current?.click()}>
        Choose files
      </Button>
      <p className="text-xs text-zinc-600 dark:text-zinc-400">
        Audio or video, one or several{maxBytes ? ` · up to ${formatBytes(maxBytes)} each` : ""}
      </p>
    </div>
  );
}
