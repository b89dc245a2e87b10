"use client";

import { useRef, type ChangeEvent } from "react";
import { formatBytes } from "@/components/shared/format";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { UploadIcon } from "@/components/ui/icons";

export interface UploadDropzoneProps {
  disabled: boolean;
  onFile: (file: File) => void;
  /** Server upload limit in bytes, when known. */
  maxBytes?: number;
}

export function UploadDropzone({ disabled, onFile, maxBytes }: UploadDropzoneProps) {
  const inputRef = useRef<HTMLInputElement>(null);

  function onChange(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    // Reset so choosing the same file again still fires a change event.
    event.target.value = "";
    if (file) onFile(file);
  }

  return (
    <div
      className={cn(
        "flex h-full flex-col items-center justify-center gap-3 rounded-xl border-2 border-dashed px-4 py-6 text-center transition-colors",
        disabled
          ? "border-zinc-200 dark:border-zinc-800"
          : "border-zinc-300 hover:border-indigo-400 dark:border-zinc-700 dark:hover:border-indigo-500/70",
      )}
    >
      <span className="grid size-10 place-items-center rounded-full bg-indigo-50 text-indigo-600 ring-1 ring-indigo-100 dark:bg-indigo-500/10 dark:text-indigo-300 dark:ring-indigo-500/20">
        <UploadIcon className="size-5" />
      </span>
      <div>
        <h2 className="text-sm font-semibold text-zinc-900 dark:text-zinc-100">Upload a file</h2>
        <p className="mt-1 text-[13px] text-zinc-600 dark:text-zinc-400">
          Drag it anywhere onto this page, or
        </p>
      </div>
      <input
        ref={inputRef}
        type="file"
        accept="audio/*,video/*"
        data-testid="file-input"
        aria-label="Audio or video file"
        tabIndex={-1}
        className="sr-only"
        onChange={onChange}
      />
      <Button variant="secondary" onClick={() => inputRef.current?.click()} disabled={disabled}>
        Choose file
      </Button>
      <p className="text-xs text-zinc-600 dark:text-zinc-400">
        Audio or video{maxBytes ? ` · up to ${formatBytes(maxBytes)}` : ""}
      </p>
    </div>
  );
}
