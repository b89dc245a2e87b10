"use client";

import { useCallback, useMemo, useRef, useState } from "react";
import type { Transcript } from "@/lib/contract";
import { formatBytes, formatDuration, formatElapsed, formatLength } from "@/components/shared/format";
import { languageOptions as optionsFor } from "@/components/shared/languages";
import { useSharedHealth } from "@/components/shared/use-shared-health";
import { SummaryPanel } from "@/components/summary/summary-panel";
import { Card } from "@/components/ui/card";
import { Toast, type ToastMessage } from "@/components/ui/toast";
import { DropOverlay } from "./drop-overlay";
import { ErrorArea } from "./error-area";
import { JobProgress } from "./job-progress";
import { Recorder } from "./recorder";
import { SettingsSidebar } from "./settings-sidebar";
import { TranscriptPlaceholder } from "./transcript-placeholder";
import { TranscriptSession } from "./transcript-session";
import { UploadDropzone } from "./upload-dropzone";
import { useHealth } from "./use-health";
import { usePageFileDrop } from "./use-page-file-drop";
import { useTranscriptionJob, type AudioSource } from "./use-transcription-job";

function limitsLabel(maxBytes?: number, maxDurationSec?: number): string | undefined {
  const parts = [maxBytes ? formatBytes(maxBytes) : "", maxDurationSec ? formatLength(maxDurationSec) : ""];
  const known = parts.filter(Boolean);
  return known.length > 0 ? `Up to ${known.join(" and ")} per file.` : undefined;
}

/** The main page: settings, input, progress, transcript and summary. */
export function Transcriber() {
  const { health, unreachable } = useHealth();
  // Summariser and e-mail facts: the report the header already asked for (no extra request).
  const services = useSharedHealth();
  const [summaryContainer, setSummaryContainer] = useState<HTMLDivElement | null>(null);
  const engine = health?.engines.speech ?? null;
  const maxBytes = health?.limits.maxUploadBytes;

  const [languageChoice, setLanguageChoice] = useState<string | null>(null);
  const [diarizeChoice, setDiarizeChoice] = useState(false);
  const [recording, setRecording] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [toast, setToast] = useState<ToastMessage | null>(null);
  const unsavedEditsRef = useRef(false);

  const languageOptions = useMemo(() => optionsFor(engine), [engine]);
  // The engine may change while the page is open; fall back to its default if the choice is gone.
  const language =
    languageChoice && languageOptions.some((option) => option.value === languageChoice)
      ? languageChoice
      : (languageOptions[0]?.value ?? "en-US");
  const diarize = diarizeChoice && engine?.diarization === true;

  const job = useTranscriptionJob({
    onSucceeded: (transcript, processingMs) =>
      setToast({
        id: Date.now(),
        title: "Transcript ready",
        description:
          transcript.durationSec > 0
            ? `${formatDuration(transcript.durationSec)} of audio in ${formatElapsed(processingMs)}.`
            : undefined,
      }),
    onFailed: setError,
  });

  const submit = useCallback(
    (file: File, source: AudioSource) => {
      if (job.active) {
        setError("A transcription is already running. Add the next file when it has finished.");
        return;
      }
      if (recording && source === "upload") {
        setError("Stop the recording before uploading a file.");
        return;
      }
      if (
        source === "upload" &&
        unsavedEditsRef.current &&
        !window.confirm("The current transcript has unsaved edits. Discard them and transcribe the new file?")
      ) {
        return;
      }
      if (file.size === 0) {
        setError(`“${file.name}” is empty.`);
        return;
      }
      if (maxBytes && file.size > maxBytes) {
        setError(
          `“${file.name}” is ${formatBytes(file.size)}; the server accepts files up to ${formatBytes(maxBytes)}.`,
        );
        return;
      }
      setError(null);
      setToast(null);
      job.start(file, { language, diarize }, source);
    },
    [job, recording, maxBytes, language, diarize],
  );

  const onUpload = useCallback((file: File) => submit(file, "upload"), [submit]);
  const onRecorded = useCallback((file: File) => submit(file, "recording"), [submit]);
  const confirmRecording = useCallback(
    () =>
      !unsavedEditsRef.current ||
      window.confirm("The current transcript has unsaved edits. Discard them and record a new one?"),
    [],
  );
  const dismissToast = useCallback(() => setToast(null), []);
  const onSaved = useCallback((saved: Transcript) => {
    setToast({
      id: Date.now(),
      title: "Saved",
      description: `“${saved.title || "Transcript"}” is in your library.`,
    });
  }, []);
  const reportedSaveErrorRef = useRef<string | null>(null);
  const onSaveErrorChange = useCallback((message: string | null) => {
    const previous = reportedSaveErrorRef.current;
    reportedSaveErrorRef.current = message;
    // Clearing a save error must not hide a different error shown since.
    setError((current) => message ?? (current === previous ? null : current));
  }, []);
  const onDirtyChange = useCallback((dirty: boolean) => {
    unsavedEditsRef.current = dirty;
  }, []);
  const dragging = usePageFileDrop(onUpload);
  const dismissError = useCallback(() => setError(null), []);

  const { state, file } = job;
  const transcript = state.phase === "succeeded" ? state.transcript : null;

  return (
    <>
      <main
        id="main"
        className="mx-auto grid max-w-[1480px] gap-6 px-4 py-6 sm:px-6 lg:grid-cols-[18rem_minmax(0,1fr)] lg:py-8 xl:grid-cols-[18rem_minmax(0,1fr)_20rem]"
      >
        <aside aria-label="Settings" className="lg:sticky lg:top-20 lg:self-start">
          <SettingsSidebar
            health={health}
            unreachable={unreachable}
            language={language}
            languageOptions={languageOptions}
            onLanguageChange={setLanguageChoice}
            diarize={diarize}
            onDiarizeChange={setDiarizeChoice}
            disabled={job.active}
          />
        </aside>

        <div className="flex min-w-0 flex-col gap-6">
          <div>
            <h1 className="text-xl font-semibold tracking-tight text-zinc-900 dark:text-white">
              New transcript
            </h1>
            <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
              Upload a recording or capture one from your microphone.
            </p>
          </div>

          <Card aria-label="Audio input" className="p-3 sm:p-4">
            <div className="grid gap-3 sm:gap-4 md:grid-cols-2">
              <UploadDropzone disabled={job.active || recording} onFile={onUpload} maxBytes={maxBytes} />
              <Recorder
                disabled={job.active}
                onRecorded={onRecorded}
                onError={setError}
                onActiveChange={setRecording}
                confirmStart={confirmRecording}
              />
            </div>
          </Card>

          {file && state.phase !== "idle" ? <JobProgress file={file} state={state} /> : null}

          {transcript ? (
            <TranscriptSession
              key={transcript.id || file?.name}
              transcript={transcript}
              processingMs={state.phase === "succeeded" ? state.processingMs : undefined}
              engineName={engine && engine.id === transcript.engine ? engine.name : undefined}
              services={services}
              summaryContainer={summaryContainer}
              onSaved={onSaved}
              onSaveErrorChange={onSaveErrorChange}
              onDirtyChange={onDirtyChange}
              onPageError={setError}
              onToast={setToast}
            />
          ) : (
            <TranscriptPlaceholder
              pending={job.active}
              limitsLabel={limitsLabel(maxBytes, health?.limits.maxDurationSec)}
            />
          )}

          <ErrorArea message={error} onDismiss={dismissError} />
        </div>

        <aside
          aria-label="Summary"
          className="lg:col-start-2 xl:col-start-auto xl:sticky xl:top-20 xl:self-start"
        >
          {/* The transcript's session renders its summary panel into this slot. */}
          <div ref={setSummaryContainer} />
          {transcript ? null : (
            <SummaryPanel
              session={null}
              summarizer={services ? services.summary : undefined}
              unavailableHint={
                job.active ? "Available when the transcription finishes." : "Transcribe a recording first."
              }
            />
          )}
        </aside>
      </main>

      <DropOverlay visible={dragging} blocked={job.active || recording} />
      <Toast toast={toast} onDismiss={dismissToast} />
    </>
  );
}
