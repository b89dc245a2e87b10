// GET /api/transcriptions/:id/export?format=txt|srt|vtt|json|csv|docx: one transcript as a file.
import { exportQuerySchema, idParamsSchema } from "@/lib/contract";
import { contentDisposition } from "@/lib/http/download";
import { route } from "@/lib/http/route";
import { requestContext } from "@/lib/services";
import { exportTranscript } from "@/lib/services/library";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(
  { params: idParamsSchema, query: exportQuerySchema },
  async ({ request, params, query }) => {
    const file = await exportTranscript(await requestContext(request), params.id, query.format);
    return new Response(new Uint8Array(file.body), {
      headers: {
        "Content-Type": file.contentType,
        "Content-Disposition": contentDisposition(file.fileName),
        "Cache-Control": "no-store",
      },
    });
  },
);
