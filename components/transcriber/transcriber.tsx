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
import { JobList } from "./job-list";
import { LiveCaptions } from "./live-captions";
import { LivePanel } from "./live-panel";
import { LiveTranscript } from "./live-transcript";
import { Recorder } from "./recorder";
import { SettingsSidebar } from "./settings-sidebar";
import { parseSpeakerCount } from "./speaker-count";
import { TranscriptPlaceholder } from "./transcript-placeholder";
import { TranscriptSession } from "./transcript-session";
import { UploadDropzone } from "./upload-dropzone";
import { useHealth } from "./use-health";
import { usePageFileDrop } from "./use-page-file-drop";
import { useJobs, type AudioSource } from "./use-jobs";
import { useLiveSession } from "./use-live-session";
import { useWatchedJob } from "./use-watched-job";

interface OpenedTranscript {
  transcript: Transcript;
  processingMs?: number;
}

function limitsLabel(maxBytes?: number, maxDurationSec?: number): string | undefined {
  const parts = [maxBytes ? formatBytes(maxBytes) : "", maxDurationSec ? formatLength(maxDurationSec) : ""];
  const known = parts.filter(Boolean);
  return known.length > 0 ? `Up to ${known.join(" and ")} per file.` : undefined;
}

/** The main page: settings, input, the user's jobs, the transcript and its summary. */
export function Transcriber() {
  const { health, unreachable } = useHealth();
  // Summariser and e-mail facts: the report the header already asked for (no extra request).
  const services = useSharedHealth();
  const [summaryContainer, setSummaryContainer] = useState<HTMLDivElement | null>(null);
  const engine = health?.engines.speech ?? null;
  const maxBytes = health?.limits.maxUploadBytes;

  const [languageChoice, setLanguageChoice] = useState<string | null>(null);
  const [diarizeChoice, setDiarizeChoice] = useState(false);
  const [speakersText, setSpeakersText] = useState("");
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
  const speakerCount = parseSpeakerCount(speakersText);
  // A count that is blank or not valid leaves the number to the engine.
  const speakers = diarize && typeof speakerCount === "number" ? speakerCount : undefined;
  const onSpeakersChange = useCallback((text: string) => {
    setSpeakersText(text);
    // Saying how many speakers there are asks for them to be identified.
    if (typeof parseSpeakerCount(text) === "number") setDiarizeChoice(true);
  }, []);

  const jobs = useJobs();
  const [focusKey, setFocusKey] = useState<string | null>(null);
  const [opened, setOpened] = useState<OpenedTranscript | null>(null);

  const focused = jobs.rows.find((row) => row.key === focusKey);
  // A file the server refused has no text to watch: its row shows why, and the watch moves on to
  // the next file of the same batch, else to the job under way.
  const refused = focused?.status === "failed" && focused.id === undefined;
  const successor = refused
    ? jobs.rows.find(
        (row) => row.since === focused.since && !(row.status === "failed" && row.id === undefined),
      )
    : undefined;
  // Without a choice, follow the job under way (e.g. one still running after a reload).
  const watchedRow =
    focused && !refused
      ? focused
      : (successor ??
        (refused || opened === null
          ? (jobs.rows.find((row) => row.status === "running") ??
            jobs.rows.find((row) => row.status === "queued") ??
            jobs.rows.find((row) => row.status === "uploading" || row.status === "waiting"))
          : undefined));
  const watchedActive =
    watchedRow !== undefined &&
    watchedRow.status !== "succeeded" &&
    watchedRow.status !== "failed" &&
    watchedRow.status !== "cancelled";

  const segments = useWatchedJob(
    watchedRow?.id,
    watchedRow?.status,
    opened?.transcript.id !== watchedRow?.id,
    {
      onView: (view) => {
        jobs.applySummary(view);
        if (view.status !== "succeeded" || !view.transcript || !watchedRow) return;
        const transcript = view.transcript;
        const started = view.startedAt ? Date.parse(view.startedAt) : Number.NaN;
        const finished = view.finishedAt ? Date.parse(view.finishedAt) : Number.NaN;
        const processingMs =
          transcript.processingMs ?? (Number.isNaN(started + finished) ? undefined : finished - started);
        setOpened({ transcript, processingMs });
        setFocusKey(watchedRow.key);
        if (watchedRow.status !== "succeeded") {
          setToast({
            id: Date.now(),
            title: "Transcript ready",
            description:
              transcript.durationSec > 0 && processingMs !== undefined
                ? `${formatDuration(transcript.durationSec)} of audio in ${formatElapsed(processingMs)}.`
                : undefined,
          });
        }
      },
      onError: setError,
    },
  );

  const [recording, setRecording] = useState(false);
  const onLiveTranscript = useCallback((saved: Transcript) => {
    setOpened({ transcript: saved });
    setFocusKey(null);
    setToast({
      id: Date.now(),
      title: "Live transcript saved",
      description: `“${saved.title || "Transcript"}” is in your library, ready to edit.`,
    });
  }, []);
  const live = useLiveSession({
    language,
    diarize,
    speakers,
    onTranscript: onLiveTranscript,
    onError: setError,
  });
  const liveActive =
    live.status === "connecting" ||
    live.status === "live" ||
    live.status === "reconnecting" ||
    live.status === "stopping";
  const liveHasText = live.text.segments.length > 0 || live.text.partial !== null;
  // The session's text stays until its saved transcript is open (or, after a failure, until closed).
  const showLive =
    liveActive ||
    (live.status === "saved" && opened?.transcript.id !== live.saved?.transcriptionId) ||
    (live.status === "error" && liveHasText);
  const dismissLive = live.dismiss;
  const confirmDiscard = useCallback(
    () =>
      !unsavedEditsRef.current ||
      window.confirm("The current transcript has unsaved edits. Discard them and start a live session?"),
    [],
  );

  const submit = useCallback(
    (files: File[], source: AudioSource) => {
      dismissLive();
      const added = jobs.add(
        files,
        { language, diarize, ...(speakers !== undefined ? { speakers } : {}) },
        source,
        maxBytes,
      );
      setToast(null);
      const first = added.find((row) => row.status !== "failed");
      // Unsaved edits keep the editor; the new jobs wait in the list until the user opens them.
      if (first && !unsavedEditsRef.current) setFocusKey(first.key);
    },
    [jobs, maxBytes, language, diarize, speakers, dismissLive],
  );

  const onUpload = useCallback((files: File[]) => submit(files, "upload"), [submit]);
  const onRecorded = useCallback((file: File) => submit([file], "recording"), [submit]);
  const onWatch = useCallback(
    (key: string) => {
      if (
        unsavedEditsRef.current &&
        !window.confirm("The current transcript has unsaved edits. Discard them and show this file?")
      ) {
        return;
      }
      dismissLive();
      setFocusKey(key);
    },
    [dismissLive],
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

  const transcript =
    opened && (watchedRow === undefined || watchedRow.id === opened.transcript.id) ? opened.transcript : null;

  return (
    <>
      <main
        id="main"
        className="mx-auto grid max-w-[1480px] gap-6 px-4 py-6 sm:px-6 lg:grid-cols-[18rem_minmax(0,1fr)] lg:py-8 xl:grid-cols-[18rem_minmax(0,1fr)_20rem]"
      >
        {/* On one column (phones) the input, the files and the text come first; settings after. */}
        <aside aria-label="Settings" className="order-2 lg:order-none lg:sticky lg:top-20 lg:self-start">
          <SettingsSidebar
            health={health}
            unreachable={unreachable}
            language={language}
            languageOptions={languageOptions}
            onLanguageChange={setLanguageChoice}
            diarize={diarize}
            onDiarizeChange={setDiarizeChoice}
            speakers={speakersText}
            onSpeakersChange={onSpeakersChange}
            disabled={false}
          />
        </aside>

        <div className="order-1 flex min-w-0 flex-col gap-6 lg:order-none">
          <div>
            <h1 className="text-xl font-semibold tracking-tight text-zinc-900 dark:text-white">
              New transcript
            </h1>
            <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
              Upload recordings, record from your microphone, or transcribe live as you speak.
            </p>
          </div>

          <Card aria-label="Audio input" className="p-3 sm:p-4">
            <div className="grid gap-3 sm:gap-4 md:grid-cols-2">
              <UploadDropzone onFiles={onUpload} maxBytes={maxBytes} />
              <Recorder
                disabled={liveActive}
                disabledHint="Available when the live session ends."
                onRecorded={onRecorded}
                onError={setError}
                onActiveChange={setRecording}
              />
              <div className="md:col-span-2">
                <LivePanel session={live} disabled={recording} confirmStart={confirmDiscard} />
              </div>
            </div>
          </Card>

          <JobList
            rows={jobs.rows}
            watchedKey={watchedRow?.key ?? null}
            onWatch={onWatch}
            onCancel={jobs.cancel}
            onRetry={jobs.retry}
          />

          <ErrorArea message={error} onDismiss={dismissError} />

          {showLive ? (
            <LiveCaptions session={live} />
          ) : transcript && opened ? (
            <TranscriptSession
              key={transcript.id}
              transcript={transcript}
              processingMs={opened.processingMs}
              engineName={engine && engine.id === transcript.engine ? engine.name : undefined}
              services={services}
              summaryContainer={summaryContainer}
              onSaved={onSaved}
              onSaveErrorChange={onSaveErrorChange}
              onDirtyChange={onDirtyChange}
              onPageError={setError}
              onToast={setToast}
            />
          ) : watchedRow && (watchedActive || watchedRow.status === "succeeded" || segments.length > 0) ? (
            <LiveTranscript row={watchedRow} segments={segments} />
          ) : (
            <TranscriptPlaceholder
              pending={false}
              limitsLabel={limitsLabel(maxBytes, health?.limits.maxDurationSec)}
            />
          )}
        </div>

        <aside
          aria-label="Summary"
          className="order-3 lg:order-none lg:col-start-2 xl:col-start-auto xl:sticky xl:top-20 xl:self-start"
        >
          {/* The transcript's session renders its summary panel into this slot. */}
          <div ref={setSummaryContainer} />
          {transcript && !showLive ? null : (
            <SummaryPanel
              session={null}
              summarizer={services ? services.summary : undefined}
              unavailableHint={
                liveActive
                  ? "Available once the live session is saved."
                  : watchedActive
                    ? "Available when the transcription finishes."
                    : "Transcribe a recording first."
              }
            />
          )}
        </aside>
      </main>

      <DropOverlay visible={dragging} />
      <Toast toast={toast} onDismiss={dismissToast} />
    </>
  );
}
