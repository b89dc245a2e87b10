// /api/transcriptions: GET lists or searches saved transcripts; POST uploads audio and starts transcribing it.
import path from "node:path";
import { NextResponse } from "next/server";
import { sniffLength } from "@/lib/audio/detect-format";
import { audioField, transcriptListQuerySchema, transcriptionFieldsSchema } from "@/lib/contract";
import { parseMultipart, removeAll } from "@/lib/http/multipart";
import { parseInput, readQuery, withErrors } from "@/lib/http/route";
import { requestContext } from "@/lib/services";
import { listTranscripts } from "@/lib/services/library";
import { startTranscription } from "@/lib/services/transcriptions";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = withErrors(async (request: Request) => {
  const context = await requestContext(request);
  const { services } = context;
  const form = await parseMultipart(request, {
    fileField: audioField,
    maxFileBytes: services.config.audio.maxUploadBytes,
    headBytes: sniffLength,
    tempDir: path.join(services.tempDir, "uploads"),
  });
  try {
    const fields = parseInput(transcriptionFieldsSchema, form.fields);
    const started = await startTranscription(context, form.file, fields);
    return NextResponse.json(started, {
      status: 202,
      headers: { Location: `/api/transcriptions/${started.id}` },
    });
  } finally {
    if (form.file) await removeAll([form.file.path]);
  }
});

export const GET = withErrors(async (request: Request) => {
  const query = readQuery(request, transcriptListQuerySchema);
  return NextResponse.json(await listTranscripts(await requestContext(request), query), {
    headers: { "Cache-Control": "no-store" },
  });
});
