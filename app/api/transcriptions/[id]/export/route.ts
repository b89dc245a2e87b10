// GET /api/transcriptions/:id/export?format=txt|srt|vtt|json|csv|docx: one transcript as a file.
import { exportQuerySchema as querySchema, idParamsSchema as paramsSchema } from "@/lib/contract";
import { contentDisposition } from "@/lib/http/download";
import { parseInput, readQuery, withErrors } from "@/lib/http/route";
import { requestContext } from "@/lib/services";
import { exportTranscript } from "@/lib/services/library";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = withErrors(async (request: Request, context: { params: Promise<{ id: string }> }) => {
  const { id } = parseInput(paramsSchema, await context.params);
  const { format } = readQuery(request, querySchema);
  const file = await exportTranscript(await requestContext(request), id, format);
  return new Response(new Uint8Array(file.body), {
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": contentDisposition(file.fileName),
      "Cache-Control": "no-store",
    },
  });
});
