import { UploadIcon } from "@/components/ui/icons";

/** Full-page hint shown while files are dragged over the window; the window handles the drop. */
export function DropOverlay({ visible }: { visible: boolean }) {
  if (!visible) return null;
  return (
    <div
      aria-hidden="true"
      className="fade-in pointer-events-none fixed inset-0 z-50 grid place-items-center bg-zinc-50/80 p-6 backdrop-blur-sm dark:bg-zinc-950/80"
    >
      <div className="flex w-full max-w-lg flex-col items-center gap-4 rounded-3xl border-2 border-dashed border-indigo-500 bg-white/90 px-8 py-14 text-center shadow-2xl shadow-indigo-500/10 dark:bg-zinc-900/90">
        <span className="grid size-14 place-items-center rounded-full bg-indigo-600 text-white">
          <UploadIcon className="size-7" />
        </span>
        <p className="text-lg font-semibold text-zinc-900 dark:text-white">Drop to transcribe</p>
        <p className="text-sm text-zinc-600 dark:text-zinc-300">
          Audio or video files, one or several. Each is transcribed on its own.
        </p>
      </div>
    </div>
  );
}
