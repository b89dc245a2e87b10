// /api/transcriptions/:id: GET status and transcript; PUT saves edits (If-Match); DELETE removes it and its recording.
import { NextResponse } from "next/server";
import { z } from "zod";
import { AppError } from "@/lib/domain/errors";
import { parseInput, withErrors } from "@/lib/http/route";
import { requestContext } from "@/lib/services";
import { deleteTranscript, editSchema, saveTranscriptEdits } from "@/lib/services/library";
import { getTranscription } from "@/lib/services/transcriptions";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

const paramsSchema = z.object({ id: z.string().regex(/^[0-9a-z]{17}$/, "is not a transcription id") });

export const GET = withErrors(async (request: Request, context: Context) => {
  const { id } = parseInput(paramsSchema, await context.params);
  const view = await getTranscription(await requestContext(request), id);
  const headers: Record<string, string> = { "Cache-Control": "no-store" };
  if (view.transcript?.etag) headers.ETag = view.transcript.etag;
  return NextResponse.json(view, { headers });
});

export const PUT = withErrors(async (request: Request, context: Context) => {
  const { id } = parseInput(paramsSchema, await context.params);
  const body: unknown = await request.json().catch(() => {
    throw new AppError("bad_request", "The body must be JSON: { text, title?, segments? }.");
  });
  const edit = parseInput(editSchema, body);
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
