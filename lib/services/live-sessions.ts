import { createReadStream, createWriteStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { PCM_SAMPLE_RATE, type PcmAudio } from "@/lib/audio/pcm";
import { wavHeader } from "@/lib/audio/wav";
import type { LiveServerMessage, LiveStart } from "@/lib/contract/live";
import { AppError, toAppError } from "@/lib/domain/errors";
import { transcriptSettings, type Segment } from "@/lib/domain/transcript";
import { removeAll } from "@/lib/http/multipart";
import { logger } from "@/lib/log";
import type { LiveEvent, LiveTranscription } from "@/lib/speech";
import type { LiveAudioMetadata } from "@/lib/storage";
import { createId } from "@/lib/util/ids";
import type { ServiceContext, Services } from "./context";
import { ensureEngineConfigured, queueJob } from "./transcriptions";

const BYTES_PER_SAMPLE = 2;
/** Received audio is appended to storage this often, so at most about this much is ever unsaved. */
const PERSIST_EVERY_MS = 500;
/** How far audio may run ahead of the session's wall-clock time (a resuming client's backlog). */
const AHEAD_LIMIT_SEC = 60;
/** How often a failing storage is logged while the audio waits in memory. */
const STORAGE_PATIENCE_MS = 10_000;
/** Longest wait for the engine to finish the last utterance when a session ends. */
const FINISH_TIMEOUT_MS = 60_000;

/** What a session sends its client: the live protocol's server frames. */
export type LiveListener = (message: LiveServerMessage) => void;

/** Ids of what a finished session became. */
export interface SavedLive {
  transcriptionId: string;
  recordingId: string;
}

type SessionState = "open" | "saving" | "saved";

/**
 * One live session: its audio is appended to storage as it arrives (at most about a second
 * behind), streamed through the engine's live transcription, and on stop (or once a dropped
 * client has not come back in time) turned into a recording with its transcript.
 */
export class LiveSession {
  readonly id: string;
  readonly transcriptionId: string;
  /** Samples held (received, or silence for a gap a resuming client could not fill). */
  private held = 0;
  private persistedBytes = 0;
  private pending: Buffer[] = [];
  private persisting: Promise<void> | null = null;
  private persistFailingSince: number | null = null;
  private readonly persistTimer: ReturnType<typeof setInterval>;
  private readonly startedAt = Date.now();
  private resumeTimer: ReturnType<typeof setTimeout> | null = null;
  private listener: LiveListener | null = null;
  private state: SessionState = "open";
  private engineFailure: AppError | null = null;
  private saving: Promise<SavedLive> | null = null;

  constructor(
    private readonly manager: LiveSessions,
    readonly owner: string,
    readonly metadata: LiveAudioMetadata,
    private readonly transcription: LiveTranscription,
  ) {
    this.id = metadata.id;
    this.transcriptionId = metadata.transcriptionId;
    this.persistTimer = setInterval(() => void this.persist(), PERSIST_EVERY_MS);
    this.persistTimer.unref();
  }

  /** Samples the session holds: where a resuming client continues. */
  get offset(): number {
    return this.held;
  }

  get open(): boolean {
    return this.state === "open";
  }

  /** Sends the session's frames to `listener` from now on (a new or resumed connection). */
  attach(listener: LiveListener): void {
    if (this.resumeTimer) clearTimeout(this.resumeTimer);
    this.resumeTimer = null;
    this.listener = listener;
  }

  /**
   * The connection went away without `stop`: the session waits for its client to resume, and is
   * saved as it is when none does in time.
   */
  detach(listener: LiveListener): void {
    if (this.listener !== listener) return;
    this.listener = null;
    if (this.state !== "open") return;
    this.resumeTimer = setTimeout(() => {
      logger.info("live session not resumed: saving it", { sessionId: this.id });
      void this.save().catch(() => undefined);
    }, this.manager.config.resumeSec * 1000);
    this.resumeTimer.unref();
  }

  /**
   * Takes PCM (16-bit little-endian mono) whose first sample is sample `at` of the session. Audio
   * the session holds already is skipped; a gap before it is filled with silence. Throws
   * `session_too_long` once the longest session is reached, and `audio_too_fast` when the audio
   * runs over a minute ahead of the clock (what fits is kept).
   */
  write(pcm: Buffer, at: number): void {
    if (this.state !== "open") return;
    let bytes = pcm;
    let start = at;
    if (start < this.held) {
      const skip = Math.min(bytes.length, (this.held - start) * BYTES_PER_SAMPLE);
      bytes = bytes.subarray(skip);
      start += skip / BYTES_PER_SAMPLE;
    }
    if (bytes.length === 0) return;
    const { maxSessionSec, resumeSec } = this.manager.config;
    const limit = maxSessionSec * PCM_SAMPLE_RATE;
    // Audio comes at the pace it is spoken: a stream far ahead of the clock is not a microphone.
    const elapsedSec = (Date.now() - this.startedAt) / 1000;
    const ceiling = Math.min(limit, Math.floor((elapsedSec + AHEAD_LIMIT_SEC) * PCM_SAMPLE_RATE));
    if (start - this.held > (resumeSec + AHEAD_LIMIT_SEC) * PCM_SAMPLE_RATE) {
      throw new AppError(
        "audio_too_fast",
        "The resumed audio starts further ahead than a dropped connection allows.",
      );
    }
    if (start > this.held)
      this.accept(Buffer.alloc((Math.min(start, ceiling) - this.held) * BYTES_PER_SAMPLE));
    const room = Math.max(0, (ceiling - this.held) * BYTES_PER_SAMPLE);
    if (bytes.length > room) {
      this.accept(bytes.subarray(0, room));
      if (ceiling < limit) {
        throw new AppError(
          "audio_too_fast",
          "Audio arrived faster than it can be spoken; the recording so far is saved.",
        );
      }
      throw new AppError(
        "session_too_long",
        `Live sessions last at most ${formatMinutes(maxSessionSec)}; the recording so far is saved.`,
      );
    }
    this.accept(bytes);
  }

  /** Ends the session: saves the recording and its transcript; resolves with their ids. */
  stop(): Promise<SavedLive> {
    return this.save();
  }

  private accept(bytes: Buffer): void {
    if (bytes.length === 0) return;
    const copy = Buffer.from(bytes);
    this.pending.push(copy);
    this.held += copy.length / BYTES_PER_SAMPLE;
    if (this.engineFailure) return;
    this.transcription.push(toFloat32(copy)).catch((error: unknown) => this.failEngine(error));
  }

  private failEngine(error: unknown): void {
    if (this.engineFailure) return;
    const failure = toAppError(error);
    this.engineFailure =
      failure.code === "internal"
        ? new AppError(
            "engine_failed",
            "Live transcription failed; the audio is kept and will be transcribed.",
            {
              cause: error,
            },
          )
        : failure;
    logger.warn("live transcription failed", { sessionId: this.id, error: String(error) });
    this.transcription.close();
    this.send({ type: "error", code: liveCode(this.engineFailure), message: this.engineFailure.message });
    void this.save().catch(() => undefined);
  }

  private send(message: LiveServerMessage): void {
    this.listener?.(message);
  }

  /** Passes an engine event to the client. */
  emit(event: LiveEvent): void {
    if (this.state === "saved") return;
    this.send(event);
  }

  /** Appends what arrived since the last append; one append at a time. */
  private persist(): Promise<void> {
    if (this.persisting) return this.persisting;
    if (this.pending.length === 0) return Promise.resolve();
    const chunk = Buffer.concat(this.pending);
    this.pending = [];
    const at = this.persistedBytes;
    this.persisting = this.manager
      .appendAudio(this.owner, this.id, chunk, at)
      .then(() => {
        this.persistedBytes = at + chunk.length;
        this.persistFailingSince = null;
      })
      .catch((error: unknown) => {
        this.pending.unshift(chunk);
        const since = (this.persistFailingSince ??= Date.now());
        if (Date.now() - since >= STORAGE_PATIENCE_MS) {
          this.persistFailingSince = Date.now();
          logger.warn("live audio held in memory: storage does not answer", {
            sessionId: this.id,
            error: toAppError(error).message,
          });
        }
      })
      .finally(() => {
        this.persisting = null;
      });
    return this.persisting;
  }

  /** Saves once; the client, if still connected, gets `saved` (or the error) as the last frame. */
  private save(): Promise<SavedLive> {
    this.saving ??= this.saveOnce()
      .then((saved) => {
        this.send({ type: "saved", ...saved });
        return saved;
      })
      .catch((error: unknown) => {
        const failure = toAppError(error);
        logger.error("live session not saved", { sessionId: this.id, error: String(error) });
        this.send({ type: "error", code: liveCode(failure), message: failure.message });
        throw failure;
      })
      .finally(() => {
        clearInterval(this.persistTimer);
        this.manager.forget(this);
      });
    return this.saving;
  }

  private async saveOnce(): Promise<SavedLive> {
    this.state = "saving";
    if (this.resumeTimer) clearTimeout(this.resumeTimer);
    const finished = this.engineFailure
      ? Promise.resolve(null)
      : withTimeout(this.transcription.finish(), FINISH_TIMEOUT_MS).catch((error: unknown) => {
          this.failEngine(error);
          return null;
        });
    await this.persistAll();
    const segments = await finished;
    const saved = await this.manager.saveRecording(this.owner, this.metadata, this.persistedBytes, segments);
    this.state = "saved";
    return saved;
  }

  /** Appends everything still held in memory, retrying while storage is away (up to a minute). */
  private async persistAll(): Promise<void> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      await this.persist();
      if (this.pending.length === 0) return;
      if (Date.now() > deadline) {
        throw new AppError(
          "storage_unavailable",
          "Storage does not answer; the live recording could not be saved.",
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}

/**
 * The live sessions of this process: opens and resumes them within the configured limits, saves
 * ended ones as recordings, and recovers sessions an earlier process left unfinished.
 */
export class LiveSessions {
  private readonly sessions = new Map<string, LiveSession>();
  /** Sessions being opened (counted against the limit before their first await). */
  private starting = 0;
  private flushing: Promise<void> | null = null;
  private flushAgain = false;

  /** `services` gives the process's services (this manager is one of them). */
  constructor(private readonly servicesOf: () => Services) {}

  private get services(): Services {
    return this.servicesOf();
  }

  get config() {
    return this.services.config.live;
  }

  /** Sessions running (or waiting for their client) in this process. */
  get count(): number {
    return this.sessions.size;
  }

  /** Opens a new session, or (with `start.resume`) finds the one to continue. */
  async open({ owner }: ServiceContext, start: LiveStart, listener: LiveListener): Promise<LiveSession> {
    if (start.resume) {
      const session = this.sessions.get(start.resume.sessionId);
      if (!session || session.owner !== owner || !session.open) {
        throw new AppError(
          "session_not_found",
          "This live session has ended; its recording is in the library.",
        );
      }
      session.attach(listener);
      return session;
    }
    const { engine, storage } = this.services;
    if (this.config.maxSessions === 0) {
      throw new AppError("too_many_sessions", "Live transcription is turned off on this server.");
    }
    if (this.sessions.size + this.starting >= this.config.maxSessions) {
      throw new AppError(
        "too_many_sessions",
        `This server takes ${this.config.maxSessions} live session${this.config.maxSessions === 1 ? "" : "s"} at once; try again when one ends.`,
      );
    }
    ensureEngineConfigured({ services: this.services, owner });
    if (!engine.startLive) {
      throw new AppError("engine_unavailable", `${engine.info.name} does not transcribe live.`);
    }
    const createdAt = new Date().toISOString();
    const metadata: LiveAudioMetadata = {
      id: createId(),
      transcriptionId: createId(),
      name: `Live ${createdAt.slice(0, 10)} ${createdAt.slice(11, 16).replace(":", "-")}.wav`,
      createdAt,
      language: start.language,
      // As for uploads: speaker settings count only with an engine that identifies speakers.
      ...transcriptSettings(start.diarize && engine.info.diarization, start.speakers),
    };
    this.starting++;
    try {
      await storage.live.create(owner, metadata);
      await this.flush();
    } finally {
      this.starting--;
    }
    let session: LiveSession | null = null;
    const transcription = engine.startLive({
      language: start.language,
      diarize: metadata.diarize,
      ...(metadata.speakers !== undefined ? { speakers: metadata.speakers } : {}),
      emit: (event) => session?.emit(event),
    });
    session = new LiveSession(this, owner, metadata, transcription);
    this.sessions.set(metadata.id, session);
    session.attach(listener);
    logger.info("live session started", { sessionId: metadata.id });
    return session;
  }

  /** Saves every open session (shutdown): each becomes a recording with what it holds. */
  async stopAll(): Promise<void> {
    await Promise.allSettled([...this.sessions.values()].map((session) => session.stop()));
  }

  /** @internal Removes an ended session. */
  forget(session: LiveSession): void {
    if (this.sessions.get(session.id) === session) this.sessions.delete(session.id);
  }

  /** @internal Appends session audio, then makes it survive a crash (one flush for all sessions). */
  async appendAudio(owner: string, id: string, bytes: Buffer, at: number): Promise<void> {
    await this.services.storage.live.append(owner, id, bytes, at);
    await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.flushing) {
      this.flushAgain = true;
      return this.flushing;
    }
    this.flushing = (async () => {
      try {
        do {
          this.flushAgain = false;
          await this.services.storage.flush("blobs");
        } while (this.flushAgain);
      } finally {
        this.flushing = null;
      }
    })();
    return this.flushing;
  }

  /**
   * Turns a session's stored audio into a recording (WAV) with its transcript: the live finals,
   * or (when the live transcription failed or a restart cut it) a queued file transcription.
   * With speaker identification asked for, the finals are labelled from the recorded audio.
   * Safe to run again after a crash at any step.
   */
  async saveRecording(
    owner: string,
    metadata: LiveAudioMetadata,
    audioBytes: number | null,
    finals: Segment[] | null,
  ): Promise<SavedLive> {
    const { storage, jobs, engine } = this.services;
    const context = { services: this.services, owner };
    const saved = { transcriptionId: metadata.transcriptionId, recordingId: metadata.id };
    const now = new Date().toISOString();
    let durationSec = 0;
    let segments = finals;
    const labelSpeakers = async (audio: PcmAudio) => {
      if (!finals?.length || !metadata.diarize || !engine.labelSpeakers) return;
      segments = await engine
        .labelSpeakers(audio, finals, { speakers: metadata.speakers })
        .catch((error: unknown) => {
          logger.warn("live session saved without speaker labels", {
            sessionId: metadata.id,
            error: String(error),
          });
          return finals;
        });
    };
    const existing = await storage.recordings.get(owner, metadata.id);
    if (existing) {
      durationSec = existing.durationSec ?? 0;
    } else {
      durationSec = await this.storeWav(owner, metadata, audioBytes, labelSpeakers);
    }
    const title = `Live ${metadata.createdAt.slice(0, 16).replace("T", " ")}`;
    if (segments) {
      await storage.transcripts
        .create(owner, {
          id: metadata.transcriptionId,
          recordingId: metadata.id,
          title,
          text: segments.map((segment) => segment.text).join(" "),
          segments,
          language: metadata.language === "auto" ? "en" : metadata.language,
          durationSec,
          engine: engine.info.id,
          settings: transcriptSettings(metadata.diarize, metadata.speakers),
          createdAt: metadata.createdAt,
          updatedAt: now,
        })
        .catch((error: unknown) => {
          if (!(error instanceof AppError && error.code === "conflict")) throw error;
        });
    } else if (
      !(await storage.transcripts.get(owner, metadata.transcriptionId)) &&
      !(await jobs.records.get(owner, metadata.transcriptionId))
    ) {
      await queueJob(context, {
        id: metadata.transcriptionId,
        recordingId: metadata.id,
        title,
        language: metadata.language,
        settings: transcriptSettings(metadata.diarize, metadata.speakers),
        createdAt: metadata.createdAt,
      }).catch((error: unknown) => {
        if (!(error instanceof AppError && error.code === "conflict")) throw error;
      });
    }
    await storage.live.delete(owner, metadata.id);
    await storage.flush();
    logger.info("live session saved", {
      sessionId: metadata.id,
      durationSec,
      transcribed: segments !== null,
    });
    return saved;
  }

  private async storeWav(
    owner: string,
    metadata: LiveAudioMetadata,
    audioBytes: number | null,
    withAudio: (audio: PcmAudio) => Promise<void>,
  ): Promise<number> {
    const { storage, tempDir } = this.services;
    const dir = path.join(tempDir, "live");
    await fs.mkdir(dir, { recursive: true });
    const pcmPath = path.join(dir, `${metadata.id}.pcm`);
    const wavPath = path.join(dir, `${metadata.id}.wav`);
    try {
      await storage.live.downloadToFile(owner, metadata.id, pcmPath);
      const stored = (await fs.stat(pcmPath)).size;
      // An odd trailing byte (a crash mid-append on some stores) is not a sample.
      const dataBytes = Math.min(audioBytes ?? stored, stored) - (Math.min(audioBytes ?? stored, stored) % 2);
      await pipeline(async function* () {
        yield wavHeader(dataBytes, PCM_SAMPLE_RATE);
        if (dataBytes > 0) yield* createReadStream(pcmPath, { start: 0, end: dataBytes - 1 });
      }, createWriteStream(wavPath));
      const samples = dataBytes / BYTES_PER_SAMPLE;
      await withAudio({
        path: pcmPath,
        sampleRate: PCM_SAMPLE_RATE,
        samples,
        durationSec: samples / PCM_SAMPLE_RATE,
      });
      const durationSec = Math.round((samples / PCM_SAMPLE_RATE) * 100) / 100;
      await storage.recordings.uploadFile(
        owner,
        {
          id: metadata.id,
          name: metadata.name,
          createdAt: metadata.createdAt,
          durationSec,
          sizeBytes: dataBytes + 44,
          contentType: "audio/wav",
          language: metadata.language,
          transcriptionId: metadata.transcriptionId,
          diarize: metadata.diarize,
          ...(metadata.speakers !== undefined ? { speakers: metadata.speakers } : {}),
          source: "live",
        },
        wavPath,
      );
      return durationSec;
    } finally {
      await removeAll([pcmPath, wavPath]);
    }
  }

  /**
   * Saves sessions an earlier process left unfinished (a crash or restart mid-session) once their
   * client can no longer resume them: each becomes a recording whose transcription is queued.
   * Returns how many.
   */
  async recoverAbandoned(): Promise<number> {
    const entries = await this.services.storage.live.list();
    const idleMs = (this.config.resumeSec + 5) * 1000;
    const abandoned = entries.filter(
      (entry) => !this.sessions.has(entry.metadata.id) && Date.now() - entry.lastWriteAt.getTime() > idleMs,
    );
    let recovered = 0;
    for (const entry of abandoned) {
      try {
        await this.saveRecording(entry.owner, entry.metadata, entry.sizeBytes, null);
        recovered++;
      } catch (error) {
        logger.warn("unfinished live session not recovered yet", {
          sessionId: entry.metadata.id,
          error: String(error),
        });
      }
    }
    return recovered;
  }
}

/** The live protocol's error code for an error. */
export function liveCode(error: AppError): Extract<LiveServerMessage, { type: "error" }>["code"] {
  switch (error.code) {
    case "session_not_found":
    case "session_too_long":
    case "audio_too_fast":
    case "too_many_sessions":
    case "engine_unavailable":
    case "engine_failed":
    case "storage_unavailable":
      return error.code;
    case "engine_rejected":
      return "engine_unavailable";
    default:
      return "internal";
  }
}

function toFloat32(pcm: Buffer): Float32Array {
  const samples = new Float32Array(pcm.length / BYTES_PER_SAMPLE);
  for (let i = 0; i < samples.length; i++) samples[i] = pcm.readInt16LE(i * BYTES_PER_SAMPLE) / 32768;
  return samples;
}

function formatMinutes(seconds: number): string {
  const minutes = Math.round(seconds / 60);
  return minutes >= 60 && minutes % 60 === 0
    ? `${minutes / 60} hour${minutes === 60 ? "" : "s"}`
    : `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(new AppError("engine_failed", "The speech engine did not finish the live session in time.")),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
