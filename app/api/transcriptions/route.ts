// /api/transcriptions: GET lists or searches saved transcripts; POST uploads audio and starts transcribing it.
import { NextResponse } from "next/server";
import { transcriptListQuerySchema } from "@/lib/contract";
import { parseMultipart } from "@/lib/http/multipart";
import { route } from "@/lib/http/route";
import { requestContext } from "@/lib/services";
import { listTranscripts } from "@/lib/services/library";
import { ensureEngineConfigured, startTranscription, uploadLimits } from "@/lib/services/transcriptions";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route({ upload: true }, async ({ request }) => {
  const context = await requestContext(request);
  // Before the body is read: an upload the engine cannot take fails at once.
  ensureEngineConfigured(context);
  const form = await parseMultipart(request, uploadLimits(context));
  const started = await startTranscription(context, form.file, form.fields);
  return NextResponse.json(started, {
    status: 202,
    headers: { Location: `/api/transcriptions/${started.id}` },
  });
});

export const GET = route({ query: transcriptListQuerySchema }, async ({ request, query }) =>
  NextResponse.json(await listTranscripts(await requestContext(request), query), {
    headers: { "Cache-Control": "no-store" },
  }),
);
