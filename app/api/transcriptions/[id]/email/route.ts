// POST /api/transcriptions/:id/email: e-mails the transcript, its summary and settings to { to }.
import { NextResponse } from "next/server";
import { z } from "zod";
import { AppError } from "@/lib/domain/errors";
import { parseInput, withErrors } from "@/lib/http/route";
import { requestContext } from "@/lib/services";
import { emailRequestSchema, emailTranscript } from "@/lib/services/email";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const paramsSchema = z.object({ id: z.string().regex(/^[0-9a-z]{17}$/, "is not a transcription id") });

export const POST = withErrors(async (request: Request, context: { params: Promise<{ id: string }> }) => {
  const { id } = parseInput(paramsSchema, await context.params);
  const body: unknown = await request.json().catch(() => {
    throw new AppError("bad_request", "The body must be JSON: { to }.");
  });
  const { to } = parseInput(emailRequestSchema, body);
  const clientKey = request.headers.get("x-client-address") ?? "unknown";
  const sent = await emailTranscript(await requestContext(request), id, to, clientKey);
  return NextResponse.json({ id: sent.id, status: "sent" }, { status: 202 });
});
