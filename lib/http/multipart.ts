import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import busboy from "busboy";
import { AppError } from "@/lib/domain/errors";
import { BodyIdleError, bodyTimeout, dropConnectionAfterReply, idleWatchdog } from "./body";

/** A file received in a multipart upload, written to a temporary path. */
export interface UploadedFile {
  /** Temporary path; the caller moves or deletes it. */
  path: string;
  /** The name the client gave (untrusted: display only). */
  clientName: string;
  /** The Content-Type the client gave (untrusted). */
  clientType: string;
  size: number;
  /** The first bytes of the file, for magic-byte detection. */
  head: Buffer;
}

/** A parsed multipart form: text fields and at most one file. */
export interface MultipartForm {
  fields: Record<string, string>;
  file: UploadedFile | null;
}

/** Limits for {@link parseMultipart}. */
export interface MultipartLimits {
  fileField: string;
  maxFileBytes: number;
  headBytes: number;
  tempDir: string;
  /** A body that sends nothing for this long is abandoned (408) and nothing is kept. */
  idleMs: number;
}

/**
 * Streams a multipart/form-data request to disk without holding the file in memory. Files over
 * the limit are cut off and answered with 413; malformed bodies with 400; a body that stops
 * arriving for `idleMs` with 408 (and its connection is closed after the reply). On failure
 * nothing is left on disk.
 */
export async function parseMultipart(request: Request, limits: MultipartLimits): Promise<MultipartForm> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!contentType.toLowerCase().startsWith("multipart/form-data")) {
    throw new AppError(
      "unsupported_media_type",
      "Send the audio as multipart/form-data with a field named “audio”.",
    );
  }
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limits.maxFileBytes + 1024 * 1024) {
    dropConnectionAfterReply();
    throw tooLarge(limits.maxFileBytes);
  }
  if (!request.body) throw new AppError("missing_audio", "The request has no body. Attach an audio file.");

  await fs.mkdir(limits.tempDir, { recursive: true });
  const fields: Record<string, string> = {};
  let file: UploadedFile | null = null;
  const written: string[] = [];
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { "content-type": contentType },
      limits: { files: 1, fields: 20, fieldSize: 64 * 1024, fileSize: limits.maxFileBytes, parts: 25 },
    });
  } catch (error) {
    throw new AppError("bad_request", "The multipart request is malformed.", { cause: error });
  }

  const fileWrites: Promise<void>[] = [];
  let failure: AppError | null = null;
  parser.on("field", (name, value) => {
    fields[name] = value;
  });
  parser.on("file", (name, stream, info) => {
    if (name !== limits.fileField || file) {
      stream.resume();
      return;
    }
    const target = path.join(limits.tempDir, `upload-${randomUUID()}`);
    written.push(target);
    const uploaded: UploadedFile = {
      path: target,
      clientName: info.filename ?? "audio",
      clientType: info.mimeType ?? "application/octet-stream",
      size: 0,
      head: Buffer.alloc(0),
    };
    file = uploaded;
    stream.on("limit", () => {
      failure = tooLarge(limits.maxFileBytes);
    });
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        if (uploaded.head.length < limits.headBytes) {
          uploaded.head = Buffer.concat([
            uploaded.head,
            chunk.subarray(0, limits.headBytes - uploaded.head.length),
          ]);
        }
        uploaded.size += chunk.length;
        callback(null, chunk);
      },
    });
    const write = pipeline(stream, counter, createWriteStream(target));
    write.catch(() => undefined);
    fileWrites.push(write);
  });

  try {
    await pipeline(
      Readable.fromWeb(request.body as WebReadableStream<Uint8Array>),
      idleWatchdog(limits.idleMs),
      parser,
    );
    await Promise.all(fileWrites);
  } catch (error) {
    await removeAll(written);
    if (error instanceof BodyIdleError) {
      dropConnectionAfterReply();
      throw bodyTimeout(limits.idleMs);
    }
    if (failure) throw failure;
    throw new AppError("bad_request", "The upload was interrupted or the multipart body is malformed.", {
      cause: error,
    });
  }
  if (failure) {
    await removeAll(written);
    throw failure;
  }
  return { fields, file };
}

/** Deletes temporary files, ignoring those already gone. */
export async function removeAll(files: string[]): Promise<void> {
  await Promise.all(files.map((file) => fs.rm(file, { force: true })));
}

function tooLarge(maxBytes: number): AppError {
  return new AppError(
    "payload_too_large",
    `The file is larger than the limit of ${Math.round(maxBytes / 1024 / 1024)} MB.`,
  );
}
