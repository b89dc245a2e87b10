import { exportFormats, type ExportFormat } from "@/lib/contract";
import { transcriptExportUrl } from "@/lib/client/transcriptions";
import { cn, focusRing } from "@/components/ui/cn";
import { DownloadIcon } from "@/components/ui/icons";

const DESCRIPTIONS: Record<ExportFormat, string> = {
  txt: "Plain text",
  srt: "Subtitles",
  vtt: "Web captions",
  json: "Text, segments and details",
  csv: "Spreadsheet",
  docx: "Word document",
};

/** One download link per export format of the saved transcript. */
export function ExportLinks({ id }: { id: string }) {
  return (
    <ul className="grid grid-cols-2 gap-2 sm:grid-cols-3">
      {exportFormats.map((format) => (
        <li key={format}>
          <a
            href={transcriptExportUrl(id, format)}
            download
            data-testid={`export-${format}`}
            className={cn(
              "group flex h-full items-start gap-2.5 rounded-xl border border-zinc-200 bg-white px-3 py-2.5 transition-colors hover:border-indigo-300 hover:bg-indigo-50/50 dark:border-zinc-700/80 dark:bg-zinc-900 dark:hover:border-indigo-500/50 dark:hover:bg-indigo-500/10",
              focusRing,
            )}
          >
            <DownloadIcon className="mt-0.5 size-4 shrink-0 text-zinc-500 group-hover:text-indigo-600 dark:text-zinc-400 dark:group-hover:text-indigo-300" />
            <span className="min-w-0">
              <span className="sr-only">Download as </span>
              <span className="block font-mono text-[13px] font-semibold uppercase text-zinc-900 dark:text-zinc-50">
                {format}
              </span>
              <span className="block text-xs leading-snug text-zinc-600 dark:text-zinc-400">
                {DESCRIPTIONS[format]}
              </span>
            </span>
          </a>
        </li>
      ))}
    </ul>
  );
}
