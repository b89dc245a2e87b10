// The local engine inside its worker thread: inference (synchronous in onnxruntime-node) holds
// this thread, never the server's.
import { parentPort, workerData } from "node:worker_threads";
import { AppError } from "@/lib/domain/errors";
import { LocalWhisperEngine, type LocalEngineOptions } from "./local-engine";
import type { ThreadReply, ThreadRequest } from "./thread-messages";

const port = parentPort!;
const engine = new LocalWhisperEngine(workerData as LocalEngineOptions);
const running = new Map<number, AbortController>();

const post = (reply: ThreadReply) => port.postMessage(reply);

function describe(error: unknown): { code: string; message: string; cause?: string } {
  if (error instanceof AppError) {
    return { code: error.code, message: error.message, cause: String(error.cause ?? "") };
  }
  return {
    code: "engine_failed",
    message: "The speech engine failed while transcribing this audio.",
    cause: String(error),
  };
}

port.on("message", (request: ThreadRequest) => {
  switch (request.type) {
    case "warm-up":
      post({ type: "status", status: { ready: false, state: "loading" } });
      engine.warmUp().then(
        () => post({ type: "warmed", status: engine.status() }),
        (error: unknown) => post({ type: "warm-failed", status: engine.status(), error: describe(error) }),
      );
      return;
    case "transcribe": {
      const controller = new AbortController();
      running.set(request.id, controller);
      engine
        .transcribe(request.audio, {
          ...request.options,
          signal: controller.signal,
          onProgress: (fraction) => post({ type: "progress", id: request.id, fraction }),
          onSegments: (segments) => post({ type: "segments", id: request.id, segments }),
        })
        .then(
          (result) => post({ type: "result", id: request.id, result, status: engine.status() }),
          (error: unknown) =>
            post({ type: "error", id: request.id, error: describe(error), status: engine.status() }),
        )
        .finally(() => running.delete(request.id));
      return;
    }
    case "abort":
      running.get(request.id)?.abort();
      return;
    case "live-decode":
      engine.decodeSamples(request.samples, { final: request.final }).then(
        (segments) => post({ type: "segments-ready", id: request.id, segments }),
        (error: unknown) => post({ type: "segments-failed", id: request.id, error: describe(error) }),
      );
      return;
    case "label-speakers":
      engine.labelSpeakers(request.audio, request.segments, { speakers: request.speakers }).then(
        (segments) => post({ type: "segments-ready", id: request.id, segments }),
        (error: unknown) => post({ type: "segments-failed", id: request.id, error: describe(error) }),
      );
      return;
    case "close":
      // Native sessions must be freed before the thread ends, or onnxruntime aborts the process.
      for (const controller of running.values()) controller.abort();
      void engine.release().finally(() => post({ type: "closed" }));
      return;
  }
});
