"use client";

import { useCallback, useEffect, useReducer, useRef, useState } from "react";
import {
  createStartMessage,
  describeLiveError,
  LIVE_MAX_FRAME_SAMPLES,
  LIVE_RECONNECT_WINDOW_MS,
  LIVE_RESEND_SAMPLES,
  liveSocketUrl,
  parseServerFrame,
  reconnectDelayMs,
} from "@/lib/client/live";
import { LiveAudioBuffer } from "@/lib/client/live-audio-buffer";
import { ApiRequestError, messageOf } from "@/lib/client/request";
import { fetchJob } from "@/lib/client/transcriptions";
import { LIVE_SAMPLE_RATE, type LiveServerMessage, type Transcript } from "@/lib/contract";
import { useUnsavedChangesWarning } from "@/components/editor/use-unsaved-changes-warning";
import {
  applyLiveFrame,
  emptyLiveText,
  nextAnnouncement,
  nothingAnnounced,
  type Announced,
  type LiveText,
} from "./live-text";
import { describeMicrophoneError, microphoneUnavailableReason, openMicrophone } from "./microphone";

/**
 * - `connecting`: asking for the microphone, then opening the session (audio is already kept).
 * - `live`: audio streams and text arrives.
 * - `reconnecting`: the connection dropped; capture goes on while it is opened again.
 * - `stopping`: the rest of the audio and `stop` are sent; waiting for the server to save.
 * - `saved`: the session is a recording and a transcript now.
 * - `error`: the session ended on an error (see `error`).
 */
export type LiveStatus = "idle" | "connecting" | "live" | "reconnecting" | "stopping" | "saved" | "error";

export interface LiveSessionOptions {
  language: string;
  diarize: boolean;
  /** How many speakers there are (with `diarize`); absent: detect. */
  speakers?: number;
  /** The saved transcript, loaded once the server has saved the session. */
  onTranscript: (transcript: Transcript) => void;
  /** Called with every message that ends a session (the hook's `error` holds it too). */
  onError?: (message: string) => void;
  /** Called with true when capture starts and false once the session is over. */
  onActiveChange?: (active: boolean) => void;
}

export interface LiveSession {
  status: LiveStatus;
  /** Length of the audio captured so far. */
  elapsedMs: number;
  /** Input level 0..1 (dBFS mapped linearly from -60 dB). */
  level: number;
  text: LiveText;
  /** Newly settled words, for a polite live region: each word once, guesses never. */
  announcement: string;
  error: string | null;
  /** Where the server saved the session, once it has. */
  saved: { transcriptionId: string; recordingId: string } | null;
  start: () => Promise<void>;
  stop: () => void;
  /** Clears a finished or failed session's text. */
  dismiss: () => void;
}

const WORKLET_URL = "/live-capture-worklet.js";
const WORKLET_NAME = "live-capture";
/** A connection attempt that brings no `ready` within this time is dropped and tried again. */
const CONNECT_TIMEOUT_MS = 10_000;
/**
 * How long the server may take to save after `stop`: it first lets the engine finish, for up to a
 * minute when the engine has fallen behind, then stores the recording and the transcript.
 */
const SAVE_TIMEOUT_MS = 90_000;
/** Unsent bytes that mean the connection has stalled: 10 s of audio. */
const STALLED_BYTES = 10 * LIVE_SAMPLE_RATE * 2;
const FLUSH_TIMEOUT_MS = 500;
const TRANSCRIPT_POLL_MS = 1000;
const METER_FLOOR_DB = -60;
const LEAVE_MESSAGE =
  "Live transcription is running. Leave this page? It stops, and what was heard so far is saved.";

const CONNECT_FAILED =
  "Could not connect to the server for live transcription. Check your connection and try again.";
const GAVE_UP =
  "The connection to the server was lost and could not be restored within 30 seconds, so live transcription stopped. What the server received is kept in Recordings.";
const SAVE_TIMED_OUT =
  "The server did not confirm that the session was saved. It may still appear in Recordings in a moment.";
const LOST_WHILE_SAVING =
  "The connection dropped while the session was being saved. It should appear in Recordings shortly.";
const NOT_OPENED =
  "The session was saved, but its transcript could not be opened here. Find it in Recordings.";
const NO_CAPTURE =
  "This browser cannot capture audio for live transcription. Try a current version of Chrome, Edge, Firefox or Safari, or record and upload instead.";

function liveUnavailableReason(): string | null {
  const microphone = microphoneUnavailableReason();
  if (microphone) return microphone;
  if (typeof AudioWorkletNode === "undefined" || typeof WebSocket === "undefined") return NO_CAPTURE;
  return null;
}

function meterLevel(rms: number): number {
  const db = rms > 0 ? 20 * Math.log10(rms) : -Infinity;
  return Math.min(1, Math.max(0, (db - METER_FLOOR_DB) / -METER_FLOOR_DB));
}

interface Capture {
  stream: MediaStream;
  context: AudioContext;
  source: MediaStreamAudioSourceNode;
  node: AudioWorkletNode;
}

/** What a run reports to the hook's state. */
interface RunEvents {
  status: (status: LiveStatus) => void;
  audio: (elapsedMs: number, level: number) => void;
  frame: (message: LiveServerMessage) => void;
  announce: (words: string) => void;
  saved: (ids: { transcriptionId: string; recordingId: string }) => void;
  transcript: (transcript: Transcript) => void;
  failed: (message: string) => void;
}

/**
 * One live session: the capture, the audio buffer and the socket, reconnected with `resume`
 * when it drops. Everything it learns goes out through `events`.
 */
class LiveRun {
  private readonly buffer = new LiveAudioBuffer({ keepSentSamples: LIVE_RESEND_SAMPLES });
  private socket: WebSocket | null = null;
  private ready = false;
  private sessionId: string | null = null;
  /** Offset of the first sample the current connection sends: 0, or the resume offset. */
  private sendFrom = 0;
  private stopping = false;
  /** The server sent `error`: it saves what it received and closes; no reconnection. */
  private refused = false;
  private stopSent = false;
  private droppedAt: number | null = null;
  private attempts = 0;
  private smoothedLevel = 0;
  private announced: Announced = nothingAnnounced;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private connectTimer: ReturnType<typeof setTimeout> | undefined;
  private captureEnded: Promise<void> | null = null;
  /** Saved, failed or abandoned: nothing more happens. */
  over = false;
  /** The page has let go of this run. */
  private abandoned = false;

  /** Capturing, streaming or saving (not waiting on a session the server has ended). */
  get active(): boolean {
    return !this.over && !this.refused;
  }

  constructor(
    private readonly capture: Capture,
    private readonly settings: { language: string; diarize: boolean; speakers?: number },
    private readonly events: RunEvents,
  ) {}

  begin(): void {
    this.capture.node.port.onmessage = (event: MessageEvent) => this.onCaptureMessage(event.data);
    for (const track of this.capture.stream.getAudioTracks()) {
      // A microphone that goes away ends the session as a stop would: what was heard is saved.
      track.onended = () => this.stop();
    }
    this.connect();
  }

  /** Ends capture, sends the rest of the audio and `stop`, then waits for `saved`. */
  stop(): void {
    if (this.over || this.stopping) return;
    this.stopping = true;
    this.events.status("stopping");
    void this.endCapture().then(() => {
      if (this.over) return;
      this.sendStopWhenReady();
      this.later(() => this.fail(SAVE_TIMED_OUT), SAVE_TIMEOUT_MS);
    });
  }

  /** The page is going away: stop as well as can be without waiting for anything. */
  abandon(): void {
    this.abandoned = true;
    if (this.over) return;
    if (!this.refused && this.socket && this.ready && this.socket.readyState === WebSocket.OPEN) {
      this.sendAudio();
      this.socket.send(JSON.stringify({ type: "stop" }));
      this.stopSent = true;
    }
    this.finish();
    void this.endCapture();
  }

  private onCaptureMessage(data: unknown): void {
    if (!data || typeof data !== "object") return;
    const message = data as { type?: string; samples?: ArrayBuffer; rms?: number };
    if (message.type !== "audio" || !(message.samples instanceof ArrayBuffer)) return;
    this.buffer.push(new Int16Array(message.samples));
    // Fast attack, slow release, like a hardware meter (frames come every 100 ms).
    const instant = meterLevel(message.rms ?? 0);
    this.smoothedLevel =
      instant >= this.smoothedLevel ? instant : Math.max(instant, this.smoothedLevel * 0.7);
    const level = this.smoothedLevel < 0.001 ? 0 : this.smoothedLevel;
    this.events.audio((this.buffer.captured / LIVE_SAMPLE_RATE) * 1000, this.over ? 0 : level);
    if (this.ready) this.sendAudio();
  }

  private sendAudio(): void {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN || this.stopSent) return;
    for (const chunk of this.buffer.takeUnsent(LIVE_MAX_FRAME_SAMPLES)) socket.send(chunk);
    if (socket.bufferedAmount > STALLED_BYTES) this.drop(socket);
  }

  private connect(): void {
    const socket = new WebSocket(liveSocketUrl(window.location));
    socket.binaryType = "arraybuffer";
    this.socket = socket;
    this.ready = false;
    const resume = this.sessionId
      ? { sessionId: this.sessionId, offset: this.buffer.oldestOffset }
      : undefined;
    this.sendFrom = resume?.offset ?? 0;
    socket.onopen = () => socket.send(JSON.stringify(createStartMessage(this.settings, resume)));
    socket.onmessage = (event: MessageEvent) => {
      if (socket !== this.socket || this.over) return;
      const message = parseServerFrame(event.data);
      if (message) this.onServerMessage(message);
    };
    socket.onclose = () => {
      if (socket === this.socket) this.drop(socket);
    };
    // A retry never waits past the end of the reconnection window.
    const left =
      this.droppedAt === null ? CONNECT_TIMEOUT_MS : LIVE_RECONNECT_WINDOW_MS - (Date.now() - this.droppedAt);
    clearTimeout(this.connectTimer);
    this.connectTimer = this.later(
      () => {
        if (socket === this.socket && !this.ready) this.drop(socket);
      },
      Math.min(CONNECT_TIMEOUT_MS, Math.max(1000, left)),
    );
  }

  private onServerMessage(message: LiveServerMessage): void {
    switch (message.type) {
      case "ready": {
        clearTimeout(this.connectTimer);
        this.ready = true;
        this.sessionId = message.sessionId;
        this.droppedAt = null;
        this.attempts = 0;
        // The server numbers the audio that follows from the resume offset and skips what it holds
        // already (`message.offset`), so everything kept from there is sent again.
        this.buffer.rewindTo(this.sendFrom);
        if (this.stopping) {
          this.events.status("stopping");
          if (this.captureEnded) void this.captureEnded.then(() => this.sendStopWhenReady());
        } else {
          this.events.status("live");
          this.sendAudio();
        }
        return;
      }
      case "partial": {
        this.events.frame(message);
        const { say, announced } = nextAnnouncement(this.announced, message.start, message.stable ?? "");
        this.announced = announced;
        if (say) this.events.announce(say);
        return;
      }
      case "final": {
        this.events.frame(message);
        const { segment } = message;
        const start =
          this.announced.start !== null && this.announced.start < segment.end
            ? this.announced.start
            : segment.start;
        const { say } = nextAnnouncement(this.announced, start, segment.text);
        this.announced = nothingAnnounced;
        if (say) this.events.announce(say);
        return;
      }
      case "saved": {
        this.finish();
        void this.endCapture();
        this.events.saved({ transcriptionId: message.transcriptionId, recordingId: message.recordingId });
        void this.openTranscript(message.transcriptionId);
        return;
      }
      case "error": {
        const lostWhileSaving = message.code === "session_not_found" && this.stopping;
        this.refuse(lostWhileSaving ? LOST_WHILE_SAVING : describeLiveError(message.code));
        return;
      }
    }
  }

  /** The connection is gone (closed, timed out or stalled): resume it, or give up. */
  private drop(socket: WebSocket): void {
    if (socket !== this.socket) return;
    socket.onopen = socket.onmessage = socket.onclose = null;
    if (socket.readyState === WebSocket.CONNECTING || socket.readyState === WebSocket.OPEN) socket.close();
    this.socket = null;
    this.ready = false;
    clearTimeout(this.connectTimer);
    if (this.refused) this.finish();
    if (this.over) return;
    if (!this.sessionId) {
      this.fail(CONNECT_FAILED);
      return;
    }
    const now = Date.now();
    this.droppedAt ??= now;
    const since = now - this.droppedAt;
    if (since >= LIVE_RECONNECT_WINDOW_MS) {
      this.fail(GAVE_UP);
      return;
    }
    // Audio and stop sent before the drop may not have arrived: the server says on resume.
    this.stopSent = false;
    this.events.status("reconnecting");
    const delay = reconnectDelayMs(this.attempts, since);
    this.attempts += 1;
    this.later(() => {
      if (!this.over) this.connect();
    }, delay);
  }

  private sendStopWhenReady(): void {
    const socket = this.socket;
    if (this.over || this.stopSent || !this.ready || !socket || socket.readyState !== WebSocket.OPEN) return;
    this.sendAudio();
    if (this.socket !== socket) return;
    socket.send(JSON.stringify({ type: "stop" }));
    this.stopSent = true;
  }

  /**
   * Loads the saved transcript. A session the engine could not finish live is transcribed from its
   * recording as a job: wait for that job.
   */
  private async openTranscript(id: string): Promise<void> {
    let failures = 0;
    for (;;) {
      try {
        const view = await fetchJob(id);
        failures = 0;
        if (view.transcript) {
          this.events.transcript(view.transcript);
          return;
        }
        if (view.status === "failed" || view.status === "cancelled") {
          this.events.failed(view.error?.message || NOT_OPENED);
          return;
        }
      } catch (error) {
        failures += 1;
        const transient = !(error instanceof ApiRequestError) || error.status === 0 || error.status >= 500;
        if (!transient || failures >= 5) {
          this.events.failed(messageOf(error, NOT_OPENED));
          return;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, TRANSCRIPT_POLL_MS));
      if (this.abandoned) return;
    }
  }

  /**
   * The server ended the session with an error. It still saves what it received and announces
   * it with `saved` before closing, so the socket stays open for that.
   */
  private refuse(message: string): void {
    if (this.over || this.refused) return;
    this.refused = true;
    this.stopping = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    void this.endCapture();
    this.events.failed(message);
    const socket = this.socket;
    this.later(() => {
      if (socket) this.drop(socket);
    }, SAVE_TIMEOUT_MS);
  }

  private fail(message: string): void {
    if (this.over) return;
    const socket = this.socket;
    this.finish();
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = null;
      if (socket.readyState === WebSocket.CONNECTING || socket.readyState === WebSocket.OPEN) socket.close();
    }
    void this.endCapture();
    this.events.failed(message);
  }

  private finish(): void {
    this.over = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  /** Posts the worklet's last short frame, then releases the microphone. */
  private endCapture(): Promise<void> {
    this.captureEnded ??= new Promise<void>((resolve) => {
      const { node } = this.capture;
      const done = () => {
        clearTimeout(timer);
        node.port.removeEventListener("message", onFlushed);
        this.releaseCapture();
        resolve();
      };
      const onFlushed = (event: MessageEvent) => {
        if ((event.data as { type?: string } | null)?.type === "flushed") done();
      };
      const timer = setTimeout(done, FLUSH_TIMEOUT_MS);
      node.port.addEventListener("message", onFlushed);
      node.port.postMessage({ type: "flush" });
    });
    return this.captureEnded;
  }

  private releaseCapture(): void {
    const { stream, context, source, node } = this.capture;
    for (const track of stream.getTracks()) {
      track.onended = null;
      track.stop();
    }
    source.disconnect();
    node.disconnect();
    void context.close().catch(() => undefined);
  }

  private later(run: () => void, ms: number): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
    return timer;
  }
}

async function startCapture(stream: MediaStream): Promise<Capture> {
  // Created only now that the microphone is granted: before that it may stay suspended.
  const context = new AudioContext();
  try {
    await context.audioWorklet.addModule(WORKLET_URL);
    const source = context.createMediaStreamSource(stream);
    const node = new AudioWorkletNode(context, WORKLET_NAME, { numberOfInputs: 1, numberOfOutputs: 1 });
    source.connect(node);
    // The node writes silence; connecting it keeps the graph rendering in every browser.
    node.connect(context.destination);
    if (context.state === "suspended") await context.resume().catch(() => undefined);
    return { stream, context, source, node };
  } catch (error) {
    void context.close().catch(() => undefined);
    throw error;
  }
}

/**
 * Live transcription from the microphone over `/api/live`: captures 16 kHz PCM with an
 * AudioWorklet, streams it, shows partials and finals as they come, survives dropped
 * connections for up to 30 s, and on stop loads the saved transcript.
 */
export function useLiveSession(options: LiveSessionOptions): LiveSession {
  const [status, setStatus] = useState<LiveStatus>("idle");
  const [elapsedMs, setElapsedMs] = useState(0);
  const [level, setLevel] = useState(0);
  const [text, applyFrame] = useReducer(
    (current: LiveText, message: LiveServerMessage | null) =>
      message === null ? emptyLiveText : applyLiveFrame(current, message),
    emptyLiveText,
  );
  const [announcement, setAnnouncement] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<LiveSession["saved"]>(null);
  const optionsRef = useRef(options);
  const runRef = useRef<LiveRun | null>(null);
  const startingRef = useRef(false);
  const mountedRef = useRef(false);

  useEffect(() => {
    optionsRef.current = options;
  });

  useEffect(() => {
    mountedRef.current = true;
    return () => {
      mountedRef.current = false;
      runRef.current?.abandon();
      runRef.current = null;
    };
  }, []);

  const active =
    status === "connecting" || status === "live" || status === "reconnecting" || status === "stopping";
  useUnsavedChangesWarning(active, LEAVE_MESSAGE);

  const fail = useCallback((message: string) => {
    setStatus("error");
    setError(message);
    setLevel(0);
    optionsRef.current.onError?.(message);
    optionsRef.current.onActiveChange?.(false);
  }, []);

  const start = useCallback(async () => {
    if (startingRef.current || runRef.current?.active) return;
    runRef.current?.abandon();
    runRef.current = null;
    applyFrame(null);
    setAnnouncement("");
    setSaved(null);
    setError(null);
    setElapsedMs(0);
    setLevel(0);
    const reason = liveUnavailableReason();
    if (reason) {
      fail(reason);
      return;
    }
    startingRef.current = true;
    setStatus("connecting");
    optionsRef.current.onActiveChange?.(true);

    let capture: Capture;
    try {
      const stream = await openMicrophone().catch((cause: unknown) => {
        throw new Error(describeMicrophoneError(cause));
      });
      if (!mountedRef.current) {
        stream.getTracks().forEach((track) => track.stop());
        return;
      }
      capture = await startCapture(stream).catch((cause: unknown) => {
        stream.getTracks().forEach((track) => track.stop());
        throw new Error(NO_CAPTURE, { cause });
      });
    } catch (cause) {
      if (mountedRef.current) fail(cause instanceof Error ? cause.message : NO_CAPTURE);
      return;
    } finally {
      startingRef.current = false;
    }
    if (!mountedRef.current) {
      capture.stream.getTracks().forEach((track) => track.stop());
      void capture.context.close().catch(() => undefined);
      return;
    }

    const { language, diarize, speakers } = optionsRef.current;
    const run: LiveRun = new LiveRun(
      capture,
      { language, diarize, speakers },
      {
        status: (next) => {
          if (runRef.current !== run) return;
          setStatus(next);
          if (next === "stopping") setLevel(0);
        },
        audio: (ms, value) => {
          if (runRef.current !== run) return;
          setElapsedMs(ms);
          setLevel(value);
        },
        frame: (message) => {
          if (runRef.current === run) applyFrame(message);
        },
        announce: (words) => {
          if (runRef.current === run) setAnnouncement(words);
        },
        saved: (ids) => {
          if (runRef.current !== run) return;
          setSaved(ids);
          setStatus("saved");
          setLevel(0);
          optionsRef.current.onActiveChange?.(false);
        },
        transcript: (transcript) => {
          if (runRef.current === run) optionsRef.current.onTranscript(transcript);
        },
        failed: (message) => {
          if (runRef.current === run) fail(message);
        },
      },
    );
    runRef.current = run;
    run.begin();
  }, [fail]);

  const stop = useCallback(() => runRef.current?.stop(), []);

  const dismiss = useCallback(() => {
    if (runRef.current?.active) return;
    runRef.current?.abandon();
    runRef.current = null;
    applyFrame(null);
    setAnnouncement("");
    setError(null);
    setSaved(null);
    setElapsedMs(0);
    setStatus("idle");
  }, []);

  return { status, elapsedMs, level, text, announcement, error, saved, start, stop, dismiss };
}
