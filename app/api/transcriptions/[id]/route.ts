// /api/transcriptions/:id: GET status and transcript; PUT saves edits (If-Match); DELETE removes it and its recording.
import { NextResponse } from "next/server";
import { idParamsSchema as paramsSchema, transcriptEditSchema } from "@/lib/contract";
import { parseInput, readJson, withErrors } from "@/lib/http/route";
import { requestContext } from "@/lib/services";
import { deleteTranscript, saveTranscriptEdits } from "@/lib/services/library";
import { getTranscription } from "@/lib/services/transcriptions";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

export const GET = withErrors(async (request: Request, context: Context) => {
  const { id } = parseInput(paramsSchema, await context.params);
  const view = await getTranscription(await requestContext(request), id);
  const headers: Record<string, string> = { "Cache-Control": "no-store" };
  if (view.transcript?.etag) headers.ETag = view.transcript.etag;
  return NextResponse.json(view, { headers });
});

export const PUT = withErrors(async (request: Request, context: Context) => {
  const { id } = parseInput(paramsSchema, await context.params);
  const edit = await readJson(request, transcriptEditSchema);
  const transcript = await saveTranscriptEdits(
    await requestContext(request),
    id,
    edit,
    request.headers.get("if-match"),
  );
  return NextResponse.json({ transcript }, { headers: { ETag: transcript.etag } });
});

export const DELETE = withErrors(async (request: Request, context: Context) => {
  const { id } = parseInput(paramsSchema, await context.params);
  await deleteTranscript(await requestContext(request), id);
  return new Response(null, { status: 204 });
});
