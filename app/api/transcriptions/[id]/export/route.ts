// GET /api/transcriptions/:id/export?format=txt|srt|vtt|json|csv|docx: one transcript as a file.
import { z } from "zod";
import { contentDisposition } from "@/lib/http/download";
import { parseInput, withErrors } from "@/lib/http/route";
import { requestContext } from "@/lib/services";
import { exportFormats } from "@/lib/services/export";
import { exportTranscript } from "@/lib/services/library";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const paramsSchema = z.object({ id: z.string().regex(/^[0-9a-z]{17}$/, "is not a transcription id") });
const querySchema = z.object({ format: z.enum(exportFormats).default("txt") });

export const GET = withErrors(async (request: Request, context: { params: Promise<{ id: string }> }) => {
  const { id } = parseInput(paramsSchema, await context.params);
  const { format } = parseInput(querySchema, Object.fromEntries(new URL(request.url).searchParams));
  const file = await exportTranscript(await requestContext(request), id, format);
  return new Response(new Uint8Array(file.body), {
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": contentDisposition(file.fileName),
      "Cache-Control": "no-store",
    },
  });
});
