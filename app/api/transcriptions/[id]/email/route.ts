// POST /api/transcriptions/:id/email: e-mails the transcript, its summary and settings to { to }.
import { NextResponse } from "next/server";
import { emailRequestSchema, idParamsSchema as paramsSchema } from "@/lib/contract";
import { parseInput, readJson, withErrors } from "@/lib/http/route";
import { requestContext } from "@/lib/services";
import { emailTranscript } from "@/lib/services/email";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = withErrors(async (request: Request, context: { params: Promise<{ id: string }> }) => {
  const { id } = parseInput(paramsSchema, await context.params);
  const { to } = await readJson(request, emailRequestSchema);
  const clientKey = request.headers.get("x-client-address") ?? "unknown";
  const sent = await emailTranscript(await requestContext(request), id, to, clientKey);
  return NextResponse.json({ id: sent.id, status: "sent" }, { status: 202 });
});
