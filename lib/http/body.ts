import { Transform, type TransformCallback } from "node:stream";
import { AppError } from "@/lib/domain/errors";
import { currentRequestScope } from "@/lib/log";

/** How much of a request body is read, and how long a silent sender is waited for. */
export interface BodyLimits {
  /** Largest body in bytes (413 beyond; nothing more is read). */
  maxBytes: number;
  /** A body that sends nothing for this long is abandoned (408). */
  idleMs: number;
}

/** The error of a request body that stopped arriving. */
export function bodyTimeout(idleMs: number): AppError {
  return new AppError(
    "request_timeout",
    `The request body stopped arriving (nothing for ${Math.round(idleMs / 1000)} s), so it was abandoned.`,
  );
}

function bodyTooLarge(maxBytes: number): AppError {
  const size =
    maxBytes >= 1024 * 1024
      ? `${Math.round((maxBytes / 1024 / 1024) * 10) / 10} MB`
      : `${Math.round(maxBytes / 1024)} KB`;
  return new AppError("payload_too_large", `The request body is larger than the limit of ${size}.`);
}

/**
 * Asks the server to close the client's connection once the reply is sent: the rest of a body
 * that is too large or stalled is not worth reading (nor a connection worth keeping for it).
 */
export function dropConnectionAfterReply(): void {
  currentRequestScope()?.dropConnection?.();
}

/**
 * Reads a request body as text, counting bytes as they arrive: a declared or actual size over
 * `maxBytes` stops the reading at once (413), and a sender silent for `idleMs` is abandoned (408).
 * Memory stays within `maxBytes` whatever the client sends.
 */
export async function readBodyText(request: Request, limits: BodyLimits): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > limits.maxBytes) {
    dropConnectionAfterReply();
    throw bodyTooLarge(limits.maxBytes);
  }
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const idle = new Promise<"idle">((resolve) => {
        timer = setTimeout(() => resolve("idle"), limits.idleMs);
      });
      const next = await Promise.race([reader.read(), idle]).finally(() => clearTimeout(timer));
      if (next === "idle") {
        dropConnectionAfterReply();
        throw bodyTimeout(limits.idleMs);
      }
      if (next.done) break;
      total += next.value.byteLength;
      if (total > limits.maxBytes) {
        dropConnectionAfterReply();
        throw bodyTooLarge(limits.maxBytes);
      }
      chunks.push(next.value);
    }
  } catch (error) {
    void reader.cancel().catch(() => undefined);
    if (error instanceof AppError) throw error;
    throw new AppError("bad_request", "The request body could not be read.", { cause: error });
  }
  return Buffer.concat(chunks, total).toString("utf8");
}

/** Thrown by {@link idleWatchdog} when no data came for its time. */
export class BodyIdleError extends Error {
  constructor(readonly idleMs: number) {
    super(`no body data for ${idleMs} ms`);
    this.name = "BodyIdleError";
  }
}

/**
 * A pass-through stream that fails with {@link BodyIdleError} when nothing passes through it for
 * `idleMs`: put it between a request body and its consumer (a multipart parser) so that a client
 * that stops sending mid-upload does not hold the request open forever.
 */
export function idleWatchdog(idleMs: number): Transform {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      arm();
      callback(null, chunk);
    },
    flush(callback: TransformCallback) {
      clearTimeout(timer);
      callback();
    },
    destroy(error: Error | null, callback: (error: Error | null) => void) {
      clearTimeout(timer);
      callback(error);
    },
  });
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => stream.destroy(new BodyIdleError(idleMs)), idleMs);
    timer.unref?.();
  };
  arm();
  return stream;
}
