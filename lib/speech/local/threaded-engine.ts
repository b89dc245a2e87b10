import path from "node:path";
import { Worker } from "node:worker_threads";
import type { PcmAudio } from "@/lib/audio/pcm";
import { AppError, errorStatus, type ErrorCode } from "@/lib/domain/errors";
import { logger } from "@/lib/log";
import { startModelLive } from "@/lib/speech/live/start-live";
import type {
  LiveModel,
  LiveOptions,
  LiveTranscription,
  EngineInfo,
  EngineStatus,
  LiveDecoding,
  Segment,
  SpeechEngine,
  SpeechResult,
  TranscribeOptions,
} from "../types";
import { LOCAL_ENGINE_INFO, type LocalEngineOptions } from "./local-engine";
import { resolvePackageFile, vadSource } from "./model-files";
import { SileroVad } from "./silero-vad";
import type { ThreadError, ThreadReply, ThreadRequest } from "./thread-messages";

interface Call {
  resolve(result: SpeechResult): void;
  reject(error: unknown): void;
  options: TranscribeOptions;
}

/**
 * The local engine run in a worker thread of its own. onnxruntime-node runs a model synchronously
 * on the calling thread, so on the server's thread every window decoded would hold up every
 * request (uploads, polling, cancel) for up to a second. Here the server thread only passes
 * messages: the audio (a PCM file path), progress, segments so far, the result. A cancelled call
 * is rejected at once; the thread stops at the end of the window it is decoding.
 */
export class ThreadedSpeechEngine implements SpeechEngine, LiveModel {
  readonly info: EngineInfo = LOCAL_ENGINE_INFO;

  private thread: Worker | null = null;
  private current: EngineStatus = { ready: false, state: "idle" };
  private warming: Promise<void> | null = null;
  private warmed: { resolve(): void; reject(error: unknown): void } | null = null;
  private readonly calls = new Map<number, Call>();
  /** Calls the thread is still working on, including cancelled ones finishing their window. */
  private readonly inThread = new Set<number>();
  private idleWaiters: Array<() => void> = [];
  private closed: (() => void) | null = null;
  private readonly closeAtExit = () => void this.close();
  private lastId = 0;
  /** The voice activity model of live streams, on this thread (loaded on first use). */
  private liveVadModel: Promise<SileroVad> | null = null;
  /** Requests outside the job calls (live decodes, speaker labels) waiting for the thread's answer. */
  private readonly askCalls = new Map<
    number,
    { resolve(value: unknown): void; reject(error: unknown): void }
  >();

  /**
   * The thread's entry, in the app's folder: this module may run from a bundle elsewhere. Kept out
   * of the `new Worker` call, where a path the bundler can follow would make it bundle the thread.
   */
  private readonly entry = path.join(process.cwd(), "lib", "speech", "local", "engine-thread.cjs");

  constructor(private readonly options: LocalEngineOptions) {}

  status(): EngineStatus {
    return { ...this.current };
  }

  warmUp(): Promise<void> {
    this.warming ??= new Promise<void>((resolve, reject) => {
      this.warmed = { resolve, reject };
      this.send({ type: "warm-up" });
    }).catch((error: unknown) => {
      this.warming = null;
      throw error;
    });
    return this.warming;
  }

  async transcribe(audio: PcmAudio, options: TranscribeOptions): Promise<SpeechResult> {
    options.signal?.throwIfAborted();
    await this.warmUp().catch((error: unknown) => {
      throw new AppError("engine_unavailable", "The local speech engine could not be loaded.", {
        cause: error,
      });
    });
    const id = ++this.lastId;
    return new Promise<SpeechResult>((resolve, reject) => {
      const { signal } = options;
      const onAbort = () => {
        this.send({ type: "abort", id });
        this.settle(id);
        reject(signal?.reason ?? new DOMException("The transcription was aborted.", "AbortError"));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.calls.set(id, {
        options,
        resolve: (result) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(result);
        },
        reject: (error) => {
          signal?.removeEventListener("abort", onAbort);
          reject(error);
        },
      });
      this.inThread.add(id);
      this.send({
        type: "transcribe",
        id,
        audio,
        options: {
          language: options.language,
          diarize: options.diarize,
          ...(options.speakers !== undefined ? { speakers: options.speakers } : {}),
        },
      });
    });
  }

  startLive(options: LiveOptions): LiveTranscription {
    return startModelLive(this, options);
  }

  /**
   * A live stream: its voice activity runs here, on a small model of its own, so that pauses are
   * heard on time even while the thread is busy decoding (a decode holds the thread for a while);
   * its utterances are decoded in the thread, ahead of file windows.
   */
  openLive(): LiveDecoding {
    const stream = this.liveVad().then((vad) => vad.createStream());
    return {
      vad: async (samples) => (await stream).push(samples),
      decode: async (samples, options) => {
        await this.warmUp();
        return (await this.ask({
          type: "live-decode",
          id: ++this.lastId,
          samples,
          final: options.final,
        })) as Segment[];
      },
    };
  }

  private liveVad(): Promise<SileroVad> {
    this.liveVadModel ??= SileroVad.load(resolvePackageFile(vadSource), 1).catch((error: unknown) => {
      this.liveVadModel = null;
      throw new AppError("engine_unavailable", "The voice activity model could not be loaded.", {
        cause: error,
      });
    });
    return this.liveVadModel;
  }

  /** Labels a live session's finals with the speakers of its audio, in the thread. */
  async labelSpeakers(
    audio: PcmAudio,
    segments: Segment[],
    options: { speakers?: number },
  ): Promise<Segment[]> {
    await this.warmUp();
    return (await this.ask({
      type: "label-speakers",
      id: ++this.lastId,
      audio,
      segments,
      ...(options.speakers !== undefined ? { speakers: options.speakers } : {}),
    })) as Segment[];
  }

  /** Sends a request answered outside the job calls (its data copied) and waits for the answer. */
  private ask(request: Extract<ThreadRequest, { type: "live-decode" | "label-speakers" }>): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.askCalls.set(request.id, { resolve, reject });
      this.inThread.add(request.id);
      this.send(request);
    });
  }

  /** Waits (at most 10 s) for the thread to finish what it decodes, frees the models, then ends it. */
  async close(): Promise<void> {
    const vad = this.liveVadModel;
    this.liveVadModel = null;
    await vad?.then((model) => model.release()).catch(() => undefined);
    const thread = this.thread;
    if (!thread) return;
    process.off("beforeExit", this.closeAtExit);
    await this.within(10_000, (done) => {
      if (this.isIdle()) done();
      else this.idleWaiters.push(done);
    });
    // Native sessions must be freed before the thread ends, or onnxruntime aborts the process.
    await this.within(10_000, (done) => {
      this.closed = done;
      thread.postMessage({ type: "close" } satisfies ThreadRequest);
    });
    this.closed = null;
    this.thread = null;
    this.warming = null;
    this.current = { ready: false, state: "idle" };
    await thread.terminate();
  }

  private within(ms: number, start: (done: () => void) => void): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      start(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private send(request: ThreadRequest): void {
    const thread = this.ensureThread();
    thread.ref();
    thread.postMessage(request);
  }

  private ensureThread(): Worker {
    if (this.thread) return this.thread;
    const thread = new Worker(this.entry, { workerData: this.options });
    thread.on("message", (reply: ThreadReply) => this.receive(reply));
    thread.on("error", (error) => this.fail(error));
    thread.on("exit", (code) => {
      if (this.thread === thread) this.fail(new Error(`The engine thread stopped (exit code ${code}).`));
    });
    thread.unref();
    this.thread = thread;
    // A script that simply ends still frees the models first (see close).
    process.once("beforeExit", this.closeAtExit);
    return thread;
  }

  private receive(reply: ThreadReply): void {
    if ("status" in reply) this.current = reply.status;
    switch (reply.type) {
      case "status":
        return;
      case "closed":
        this.closed?.();
        return;
      case "warmed":
        this.warmed?.resolve();
        this.warmed = null;
        this.idle();
        return;
      case "warm-failed":
        this.warmed?.reject(toError(reply.error));
        this.warmed = null;
        this.idle();
        return;
      case "progress":
        this.calls.get(reply.id)?.options.onProgress?.(reply.fraction);
        return;
      case "segments":
        this.calls.get(reply.id)?.options.onSegments?.(reply.segments);
        return;
      case "segments-ready":
        this.answerCall(reply.id)?.resolve(reply.segments);
        return;
      case "segments-failed":
        this.answerCall(reply.id)?.reject(toError(reply.error));
        return;
      case "result":
        this.inThread.delete(reply.id);
        this.settle(reply.id)?.resolve(reply.result);
        return;
      case "error":
        this.inThread.delete(reply.id);
        this.settle(reply.id)?.reject(toError(reply.error));
        return;
    }
  }

  private settle(id: number): Call | undefined {
    const call = this.calls.get(id);
    this.calls.delete(id);
    this.idle();
    return call;
  }

  private answerCall(id: number) {
    const call = this.askCalls.get(id);
    this.askCalls.delete(id);
    this.inThread.delete(id);
    this.idle();
    return call;
  }

  private isIdle(): boolean {
    return this.calls.size === 0 && this.inThread.size === 0 && !this.warmed;
  }

  /**
   * An idle thread does not keep the process alive (scripts end; the server has its listener). A
   * busy one does, even for a cancelled call: a process must not exit while native code runs there.
   */
  private idle(): void {
    if (!this.isIdle()) return;
    this.thread?.unref();
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }

  /** The thread died: every call fails, and the next one starts a new thread. */
  private fail(error: unknown): void {
    logger.error("speech engine thread failed", { error: String(error) });
    const thread = this.thread;
    this.thread = null;
    void thread?.terminate();
    this.current = { ready: false, state: "failed", error: "The local speech engine stopped unexpectedly." };
    this.warming = null;
    this.warmed?.reject(error);
    this.warmed = null;
    const failure = new AppError(
      "engine_failed",
      "The speech engine stopped while transcribing this audio.",
      {
        cause: error,
      },
    );
    for (const call of this.calls.values()) call.reject(failure);
    this.calls.clear();
    for (const call of this.askCalls.values()) call.reject(failure);
    this.askCalls.clear();
    this.inThread.clear();
    this.idle();
  }
}

function toError(error: ThreadError): AppError {
  const code = (error.code in errorStatus ? error.code : "engine_failed") as ErrorCode;
  return new AppError(code, error.message, { cause: error.cause });
}
