"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { ApiRequestError, isAbort, messageOf } from "@/lib/client/request";
import { cancelJob, listJobs, retryJob, submitAudio } from "@/lib/client/transcriptions";
import type { JobStage, JobStatus, JobSummary, UploadSettings } from "@/lib/contract";

/** Uploads at the same time; the rest wait their turn so many files do not saturate the link. */
const PARALLEL_UPLOADS = 2;
const LIST_POLL_MS = 1200;

/** Where the audio came from: chosen files, the microphone, or a job this page did not start. */
export type AudioSource = "upload" | "recording" | "earlier";

/** The browser's own states before the server has the job, then the server's statuses. */
export type RowStatus = "waiting" | "uploading" | JobStatus;

/** One file's job as the page shows it. */
export interface JobRow {
  /** Stable for the row's life (a local key, or the job id for jobs found on the server). */
  key: string;
  /** The server's job id, once the upload was accepted. */
  id?: string;
  title: string;
  source: AudioSource;
  sizeBytes?: number;
  status: RowStatus;
  stage?: JobStage;
  /** Fraction of the current measurable stage: the upload, then the audio transcribed. */
  progress: number;
  position?: number;
  etaSec?: number;
  error?: string;
  /** Failed or could not be changed while this page watched: announce it and scroll to it. */
  alert: boolean;
  /** A cancel or retry that did not go through. */
  actionError?: string;
  canRetry: boolean;
  /** First row of a batch the user just added: scrolled into view. */
  reveal: boolean;
  /** When the user added the file (or the server created the job), ms since the epoch. */
  since: number;
  /** When the upload or the current attempt started, for estimating the pace. */
  phaseStartedAt?: number;
  finishedAt?: number;
  updatedAt?: string;
}

export interface JobsApi {
  /** Newest first. */
  rows: JobRow[];
  /**
   * Adds one job per file and returns the new rows in the same order; files that are empty or
   * over `maxBytes` become failed rows straight away.
   */
  add: (files: File[], settings: UploadSettings, source: AudioSource, maxBytes?: number) => JobRow[];
  /** Aborts an upload, or cancels a queued or running job. */
  cancel: (key: string) => void;
  /** Uploads again (the browser still has the file) or re-queues a failed or cancelled job. */
  retry: (key: string) => void;
  /** Folds a fresher view of one job (e.g. from watching it) into its row. */
  applySummary: (summary: JobSummary) => void;
}

interface Upload {
  file: File;
  settings: UploadSettings;
  abort?: () => void;
}

const isServerActive = (row: JobRow) =>
  row.id !== undefined && (row.status === "queued" || row.status === "running");
const timeOf = (iso: string | undefined) => {
  const time = iso ? Date.parse(iso) : Number.NaN;
  return Number.isNaN(time) ? undefined : time;
};

function sortNewestFirst(rows: JobRow[]): JobRow[] {
  return [...rows].sort((a, b) => b.since - a.since);
}

function rowFromSummary(summary: JobSummary): JobRow {
  return mergeSummary(
    {
      key: summary.id,
      title: summary.title,
      source: "earlier",
      status: summary.status,
      progress: 0,
      alert: false,
      canRetry: false,
      reveal: false,
      since: timeOf(summary.createdAt) ?? Date.now(),
    },
    summary,
  );
}

function mergeSummary(row: JobRow, summary: JobSummary): JobRow {
  const failedNow = summary.status === "failed" && row.status !== "failed";
  const finished =
    summary.status === "succeeded" || summary.status === "failed" || summary.status === "cancelled";
  return {
    ...row,
    id: summary.id,
    status: summary.status,
    stage: summary.stage,
    progress: summary.status === "succeeded" ? 1 : summary.progress,
    position: summary.status === "queued" ? summary.position : undefined,
    etaSec: summary.etaSec,
    error: summary.status === "failed" ? (summary.error?.message ?? "Transcription failed.") : undefined,
    // A row restored already failed is history; one that fails while the page watches is news.
    alert: summary.status === "failed" ? row.alert || failedNow : false,
    actionError: undefined,
    canRetry: summary.status === "failed" || summary.status === "cancelled",
    phaseStartedAt: timeOf(summary.startedAt),
    finishedAt: finished ? (timeOf(summary.finishedAt) ?? timeOf(summary.updatedAt)) : undefined,
    updatedAt: summary.updatedAt,
  };
}

const isStale = (row: JobRow, summary: JobSummary) =>
  row.updatedAt !== undefined && summary.updatedAt < row.updatedAt;

/**
 * The user's transcription jobs: uploads files (a few at a time), restores the server's list on
 * load and polls it while any job is queued or running, and cancels or retries jobs.
 */
export function useJobs(): JobsApi {
  const [rows, setRows] = useState<JobRow[]>([]);
  const uploadsRef = useRef(new Map<string, Upload>());
  const waitingRef = useRef<string[]>([]);
  const uploadingRef = useRef(0);
  const nextKeyRef = useRef(0);
  /** When the page last changed a row itself; list answers requested earlier must not undo it. */
  const touchedAtRef = useRef(new Map<string, number>());

  const update = useCallback((key: string, change: (row: JobRow) => JobRow) => {
    setRows((current) => current.map((row) => (row.key === key ? change(row) : row)));
  }, []);

  const touch = useCallback(
    (key: string, change: (row: JobRow) => JobRow) => {
      touchedAtRef.current.set(key, performance.now());
      update(key, change);
    },
    [update],
  );

  const pumpRef = useRef<() => void>(() => undefined);

  const startUpload = useCallback(
    (key: string, upload: Upload) => {
      uploadingRef.current += 1;
      touch(key, (row) => ({ ...row, status: "uploading", progress: 0, phaseStartedAt: Date.now() }));
      const handle = submitAudio(upload.file, upload.settings, (fraction) =>
        update(key, (row) => (row.status === "uploading" ? { ...row, progress: fraction } : row)),
      );
      upload.abort = handle.abort;
      handle.promise
        .then(
          (started) => {
            uploadsRef.current.delete(key);
            touchedAtRef.current.set(key, performance.now());
            setRows((current) =>
              current
                // A list answer may have brought the job in before the upload's own answer did.
                .filter((row) => row.id !== started.id || row.key === key)
                .map((row) =>
                  row.key === key
                    ? {
                        ...row,
                        id: started.id,
                        status: started.status,
                        stage: started.status === "running" ? "decoding" : "queued",
                        progress: 0,
                        phaseStartedAt: undefined,
                      }
                    : row,
                ),
            );
          },
          (error: unknown) => {
            upload.abort = undefined;
            if (isAbort(error)) {
              touch(key, (row) => ({ ...row, status: "cancelled", canRetry: true, finishedAt: Date.now() }));
              return;
            }
            // Rejected files (unsupported, too large) would fail again; lost connections and a
            // server busy with this client's other uploads (429) may not.
            const transient =
              !(error instanceof ApiRequestError) ||
              error.status === 0 ||
              error.status === 429 ||
              error.status >= 500;
            if (!transient) uploadsRef.current.delete(key);
            touch(key, (row) => ({
              ...row,
              status: "failed",
              error: messageOf(error, "The upload failed."),
              alert: true,
              canRetry: transient,
              finishedAt: Date.now(),
            }));
          },
        )
        .finally(() => {
          uploadingRef.current -= 1;
          pumpRef.current();
        });
    },
    [touch, update],
  );

  const pump = useCallback(() => {
    while (uploadingRef.current < PARALLEL_UPLOADS && waitingRef.current.length > 0) {
      const key = waitingRef.current.shift()!;
      const upload = uploadsRef.current.get(key);
      if (upload) startUpload(key, upload);
    }
  }, [startUpload]);

  useEffect(() => {
    pumpRef.current = pump;
  }, [pump]);

  useEffect(() => {
    const uploads = uploadsRef.current;
    return () => {
      for (const upload of uploads.values()) upload.abort?.();
    };
  }, []);

  const add = useCallback(
    (files: File[], settings: UploadSettings, source: AudioSource, maxBytes?: number) => {
      const since = Date.now();
      const added: JobRow[] = files.map((file, index) => {
        nextKeyRef.current += 1;
        const key = `local-${nextKeyRef.current}`;
        const base: JobRow = {
          key,
          title: file.name,
          source,
          sizeBytes: file.size,
          status: "waiting",
          progress: 0,
          alert: false,
          canRetry: false,
          reveal: index === 0,
          since,
        };
        const problem =
          file.size === 0
            ? "The file is empty."
            : maxBytes && file.size > maxBytes
              ? "The file is larger than the server accepts."
              : null;
        if (problem) return { ...base, status: "failed", error: problem, alert: true, finishedAt: since };
        uploadsRef.current.set(key, { file, settings });
        waitingRef.current.push(key);
        return base;
      });
      setRows((current) => sortNewestFirst([...added, ...current.map((row) => ({ ...row, reveal: false }))]));
      pump();
      return added;
    },
    [pump],
  );

  const rowsRef = useRef(rows);
  useEffect(() => {
    rowsRef.current = rows;
  }, [rows]);

  const cancel = useCallback(
    (key: string) => {
      const row = rowsRef.current.find((candidate) => candidate.key === key);
      if (!row) return;
      if (row.status === "waiting") {
        waitingRef.current = waitingRef.current.filter((waiting) => waiting !== key);
        touch(key, (current) => ({
          ...current,
          status: "cancelled",
          canRetry: true,
          finishedAt: Date.now(),
        }));
        return;
      }
      if (row.status === "uploading") {
        uploadsRef.current.get(key)?.abort?.();
        return;
      }
      if (!row.id || !isServerActive(row)) return;
      touchedAtRef.current.set(key, performance.now());
      cancelJob(row.id).then(
        (view) => update(key, (current) => mergeSummary(current, view)),
        (error: unknown) =>
          update(key, (current) => ({
            ...current,
            alert: true,
            actionError: `Could not cancel: ${messageOf(error, "the server did not answer.")}`,
          })),
      );
    },
    [touch, update],
  );

  const retry = useCallback(
    (key: string) => {
      const row = rowsRef.current.find((candidate) => candidate.key === key);
      if (!row || !row.canRetry) return;
      const reset = (current: JobRow): JobRow => ({
        ...current,
        error: undefined,
        actionError: undefined,
        alert: false,
        canRetry: false,
        progress: 0,
        etaSec: undefined,
        finishedAt: undefined,
        since: current.source === "earlier" ? current.since : Date.now(),
      });
      if (!row.id) {
        if (!uploadsRef.current.has(key)) return;
        touch(key, (current) => ({ ...reset(current), status: "waiting" }));
        waitingRef.current.push(key);
        pump();
        return;
      }
      touch(key, (current) => ({
        ...reset(current),
        status: "queued",
        stage: "queued",
        position: undefined,
      }));
      retryJob(row.id).then(
        (started) => {
          touchedAtRef.current.set(key, performance.now());
          update(key, (current) => ({ ...current, status: started.status }));
        },
        (error: unknown) => {
          touchedAtRef.current.set(key, performance.now());
          update(key, (current) => ({
            ...current,
            status: row.status,
            error: row.error,
            canRetry: true,
            alert: true,
            actionError: `Could not retry: ${messageOf(error, "the server did not answer.")}`,
          }));
        },
      );
    },
    [pump, touch, update],
  );

  const mergeList = useCallback((items: JobSummary[], requestedAt: number) => {
    setRows((current) => {
      const unseen = new Map(items.map((item) => [item.id, item]));
      const next = current.map((row) => {
        const summary = row.id ? unseen.get(row.id) : undefined;
        if (!summary) return row;
        unseen.delete(summary.id);
        const touchedAt = touchedAtRef.current.get(row.key) ?? -1;
        if (touchedAt > requestedAt || isStale(row, summary)) return row;
        return mergeSummary(row, summary);
      });
      if (unseen.size === 0) return next;
      return sortNewestFirst([...next, ...Array.from(unseen.values(), rowFromSummary)]);
    });
  }, []);

  const applySummary = useCallback((summary: JobSummary) => {
    setRows((current) =>
      current.map((row) =>
        row.id === summary.id && !isStale(row, summary) ? mergeSummary(row, summary) : row,
      ),
    );
  }, []);

  const refresh = useCallback(
    async (signal: AbortSignal) => {
      const requestedAt = performance.now();
      try {
        mergeList(await listJobs(signal), requestedAt);
      } catch {
        // The next poll tries again; the rows keep what they last showed.
      }
    },
    [mergeList],
  );

  // Restore the list on load, and again whenever the tab comes back into view.
  useEffect(() => {
    const controller = new AbortController();
    void refresh(controller.signal);
    const onVisible = () => {
      if (document.visibilityState === "visible") void refresh(controller.signal);
    };
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      controller.abort();
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [refresh]);

  const polling = rows.some(isServerActive);
  useEffect(() => {
    if (!polling) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      await refresh(controller.signal);
      if (!controller.signal.aborted) timer = setTimeout(tick, LIST_POLL_MS);
    };
    timer = setTimeout(tick, LIST_POLL_MS);
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [polling, refresh]);

  return { rows, add, cancel, retry, applySummary };
}
