// POST /api/transcriptions/:id/email: e-mails the transcript, its summary and settings to { to }.
import { NextResponse } from "next/server";
import { emailRequestSchema, idParamsSchema } from "@/lib/contract";
import { route } from "@/lib/http/route";
import { requestContext } from "@/lib/services";
import { emailTranscript } from "@/lib/services/email";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(
  { params: idParamsSchema, body: emailRequestSchema },
  async ({ request, params, body }) => {
    const clientKey = request.headers.get("x-client-address") ?? "unknown";
    const sent = await emailTranscript(await requestContext(request), params.id, body.to, clientKey);
    return NextResponse.json({ id: sent.id, status: "sent" }, { status: 202 });
  },
);
