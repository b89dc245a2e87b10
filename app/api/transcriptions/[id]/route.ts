// GET /api/transcriptions/:id: status, progress and (when done) the transcript of a job.
import { NextResponse } from "next/server";
import { z } from "zod";
import { parseInput, withErrors } from "@/lib/http/route";
import { getTranscription } from "@/lib/transcripts/transcriptions";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const paramsSchema = z.object({ id: z.string().regex(/^[0-9a-z]{17}$/, "is not a transcription id") });

export const GET = withErrors(async (_request: Request, context: { params: Promise<{ id: string }> }) => {
  const { id } = parseInput(paramsSchema, await context.params);
  return NextResponse.json(await getTranscription(id), { headers: { "Cache-Control": "no-store" } });
});
