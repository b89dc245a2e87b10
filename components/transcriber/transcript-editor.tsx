"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { cn, focusRing } from "@/components/ui/cn";
import { CheckIcon, CopyIcon, DownloadIcon } from "@/components/ui/icons";
import { Tabs, tabPanelProps } from "@/components/ui/tabs";
import { countWords, downloadBaseName } from "./format";
import { SegmentList } from "./segment-list";
import { TranscriptMeta } from "./transcript-meta";
import type { Transcript } from "./types";

type View = "text" | "segments";
const VIEWS = [
  { value: "text", label: "Text" },
  { value: "segments", label: "Segments" },
] as const;

export interface TranscriptEditorProps {
  /** Render with `key={transcript.id}` so a new transcript resets the edited text. */
  transcript: Transcript;
  processingMs?: number;
  engineName?: string;
}

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // The async clipboard API needs a secure context; fall back to a temporary selection.
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    const ok = document.execCommand("copy");
    area.remove();
    return ok;
  }
}

function downloadText(text: string, title: string) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/plain;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = `${downloadBaseName(title)}.txt`;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function TranscriptEditor({ transcript, processingMs, engineName }: TranscriptEditorProps) {
  const [text, setText] = useState(transcript.text);
  const [view, setView] = useState<View>("text");
  const [copy, setCopy] = useState<"idle" | "copied" | "failed">("idle");
  const edited = text !== transcript.text;
  const words = countWords(text);

  async function onCopy() {
    setCopy((await copyText(text)) ? "copied" : "failed");
    setTimeout(() => setCopy("idle"), 2000);
  }

  return (
    <Card aria-labelledby="transcript-heading">
      <CardHeader
        title={
          <span id="transcript-heading" className="flex items-center gap-2">
            <label htmlFor="transcript-text">Transcript</label>
            {edited ? (
              <span className="rounded-full bg-amber-100 px-2 py-0.5 text-[11px] font-medium text-amber-900 dark:bg-amber-500/15 dark:text-amber-200">
                Edited
              </span>
            ) : null}
          </span>
        }
        description={transcript.title || undefined}
        actions={
          <Tabs
            options={VIEWS}
            value={view}
            onChange={setView}
            label="Transcript view"
            idPrefix="transcript"
          />
        }
      />
      <div className="px-5 pt-3">
        <TranscriptMeta transcript={transcript} processingMs={processingMs} engineName={engineName} />
      </div>

      <div className="px-5 pt-4">
        {view === "text" ? (
          <div {...tabPanelProps("transcript", "text")}>
            <textarea
              id="transcript-text"
              data-testid="transcript-text"
              value={text}
              onChange={(event) => setText(event.target.value)}
              spellCheck
              rows={12}
              className={cn(
                "block min-h-[16rem] w-full resize-y rounded-xl border border-zinc-300 bg-white px-4 py-3 text-[15px] leading-7 text-zinc-900 shadow-inner shadow-zinc-900/[0.02] placeholder:text-zinc-500 dark:border-zinc-700 dark:placeholder:text-zinc-400 dark:bg-zinc-950/50 dark:text-zinc-100",
                focusRing,
              )}
              placeholder="The recognised text appears here. Edit it freely."
            />
          </div>
        ) : (
          <div
            {...tabPanelProps("transcript", "segments")}
            tabIndex={0}
            className={cn("rounded-xl", focusRing)}
          >
            {edited ? (
              <p className="mb-2 text-xs text-zinc-600 dark:text-zinc-400">
                Segments show the original recognition; your edits are in the Text view.
              </p>
            ) : null}
            <SegmentList segments={transcript.segments} />
          </div>
        )}
      </div>

      <div className="mt-4 flex flex-wrap items-center justify-between gap-3 border-t border-zinc-200 px-5 py-3 dark:border-zinc-800">
        <p className="text-[13px] tabular-nums text-zinc-600 dark:text-zinc-400">
          {words.toLocaleString()} {words === 1 ? "word" : "words"} · {text.length.toLocaleString()}{" "}
          {text.length === 1 ? "character" : "characters"}
        </p>
        <div className="flex items-center gap-2">
          {edited ? (
            <Button variant="ghost" size="sm" onClick={() => setText(transcript.text)}>
              Revert edits
            </Button>
          ) : null}
          <Button variant="secondary" size="sm" onClick={() => void onCopy()} disabled={!text}>
            {copy === "copied" ? <CheckIcon /> : <CopyIcon />}
            {copy === "copied" ? "Copied" : copy === "failed" ? "Copy failed" : "Copy"}
          </Button>
          <Button
            variant="secondary"
            size="sm"
            onClick={() => downloadText(text, transcript.title)}
            disabled={!text}
          >
            <DownloadIcon />
            Download .txt
          </Button>
        </div>
      </div>
      <span className="sr-only" aria-live="polite">
        {copy === "copied" ? "Transcript copied to the clipboard" : copy === "failed" ? "Copy failed" : ""}
      </span>
    </Card>
  );
}
