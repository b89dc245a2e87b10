// /api/transcriptions/:id/retry: POST queues a failed or cancelled transcription again.
import { NextResponse } from "next/server";
import { idParamsSchema } from "@/lib/contract";
import { route } from "@/lib/http/route";
import { requestContext } from "@/lib/services";
import { retryTranscription } from "@/lib/services/transcriptions";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route({ params: idParamsSchema }, async ({ request, params }) => {
  const started = await retryTranscription(await requestContext(request), params.id);
  return NextResponse.json(started, {
    status: 202,
    headers: { Location: `/api/transcriptions/${started.id}` },
  });
});
