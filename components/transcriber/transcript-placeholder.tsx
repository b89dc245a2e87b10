import { Card, CardHeader } from "@/components/ui/card";
import { TextIcon } from "@/components/ui/icons";

const FORMATS = ["WAV", "MP3", "OGG/Opus", "WebM", "M4A/AAC", "FLAC", "MP4/MOV"];

export interface TranscriptPlaceholderProps {
  /** A transcription is under way: show a loading skeleton instead of instructions. */
  pending: boolean;
  /** e.g. "Up to 500 MB and 2 hours per file.", when the server reports its limits. */
  limitsLabel?: string;
}

/** The transcript card before there is a transcript. */
export function TranscriptPlaceholder({ pending, limitsLabel }: TranscriptPlaceholderProps) {
  return (
    <Card aria-labelledby="transcript-heading">
      <CardHeader title={<span id="transcript-heading">Transcript</span>} icon={<TextIcon />} />
      {pending ? (
        <div className="px-5 pb-6 pt-5" aria-hidden="true">
          <div className="animate-pulse space-y-3">
            {["w-11/12", "w-full", "w-4/5", "w-full", "w-2/3"].map((width, index) => (
              <div key={index} className={`h-3 rounded-full bg-zinc-200 dark:bg-zinc-800 ${width}`} />
            ))}
          </div>
          <p className="mt-6 text-sm text-zinc-600 dark:text-zinc-400">
            Transcribing… The text appears here when it is ready.
          </p>
        </div>
      ) : (
        <div className="flex flex-col items-center px-6 pb-10 pt-10 text-center">
          <span className="grid size-12 place-items-center rounded-2xl bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300">
            <TextIcon className="size-6" />
          </span>
          <p className="mt-4 max-w-sm text-[15px] font-medium text-zinc-900 dark:text-zinc-100">
            Drop audio or video files, choose some, or press Record.
          </p>
          <p className="mt-2 max-w-md text-[13px] leading-relaxed text-zinc-600 dark:text-zinc-400">
            Each file gets its own row above; its text appears here as it is transcribed, then is ready to
            edit, copy or download.
          </p>
          <ul className="mt-5 flex max-w-md flex-wrap justify-center gap-1.5" aria-label="Supported formats">
            {FORMATS.map((format) => (
              <li
                key={format}
                className="rounded-md border border-zinc-200 bg-zinc-50 px-2 py-0.5 font-mono text-[11px] text-zinc-700 dark:border-zinc-700 dark:bg-zinc-800/60 dark:text-zinc-300"
              >
                {format}
              </li>
            ))}
          </ul>
          <p className="mt-3 max-w-md text-xs text-zinc-600 dark:text-zinc-400">
            Other video files work too if they have an audio track.{" "}
            {limitsLabel ?? "Up to the size limit configured on the server."}
          </p>
        </div>
      )}
    </Card>
  );
}
