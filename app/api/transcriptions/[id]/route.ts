// /api/transcriptions/:id: GET status and transcript; PUT saves edits (If-Match); DELETE cancels a job that is not done, else removes the transcript and its recording.
import { NextResponse } from "next/server";
import { idParamsSchema, transcriptEditSchema } from "@/lib/contract";
import { route } from "@/lib/http/route";
import { requestContext } from "@/lib/services";
import { deleteTranscript, saveTranscriptEdits } from "@/lib/services/library";
import { cancelTranscription, getTranscription } from "@/lib/services/transcriptions";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route({ params: idParamsSchema }, async ({ request, params }) => {
  const view = await getTranscription(await requestContext(request), params.id);
  const headers: Record<string, string> = { "Cache-Control": "no-store" };
  if (view.transcript?.etag) headers.ETag = view.transcript.etag;
  return NextResponse.json(view, { headers });
});

export const PUT = route(
  { params: idParamsSchema, body: transcriptEditSchema },
  async ({ request, params, body }) => {
    const context = await requestContext(request);
    const transcript = await saveTranscriptEdits(context, params.id, body, request.headers.get("if-match"));
    return NextResponse.json({ transcript }, { headers: { ETag: transcript.etag } });
  },
);

export const DELETE = route({ params: idParamsSchema }, async ({ request, params }) => {
  const context = await requestContext(request);
  const cancelled = await cancelTranscription(context, params.id);
  if (cancelled) return NextResponse.json(cancelled, { headers: { "Cache-Control": "no-store" } });
  await deleteTranscript(context, params.id);
  return new Response(null, { status: 204 });
});
