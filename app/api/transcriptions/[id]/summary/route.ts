// POST /api/transcriptions/:id/summary: summarises and saves; streams NDJSON events when asked to.
import { NextResponse } from "next/server";
import { idParamsSchema, summaryStreamType } from "@/lib/contract";
import { toAppError } from "@/lib/domain/errors";
import { route } from "@/lib/http/route";
import { requestContext } from "@/lib/services";
import { summarizeTranscript } from "@/lib/services/summaries";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route({ params: idParamsSchema }, async ({ request, params: { id } }) => {
  const serviceContext = await requestContext(request);
  if (!(request.headers.get("accept") ?? "").includes(summaryStreamType)) {
    const { summary, transcript } = await summarizeTranscript(serviceContext, id, { signal: request.signal });
    return NextResponse.json({ summary, etag: transcript.etag }, { headers: { ETag: transcript.etag } });
  }
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (event: object) => controller.enqueue(encoder.encode(JSON.stringify(event) + "\n"));
      try {
        const { summary, transcript } = await summarizeTranscript(serviceContext, id, {
          signal: request.signal,
          onDelta: (text) => send({ type: "delta", text }),
        });
        send({ type: "done", summary, etag: transcript.etag });
      } catch (error) {
        const appError = toAppError(error);
        send({ type: "error", code: appError.code, message: appError.message });
      } finally {
        controller.close();
      }
    },
  });
  return new Response(stream, {
    headers: { "Content-Type": "application/x-ndjson; charset=utf-8", "Cache-Control": "no-store" },
  });
});
