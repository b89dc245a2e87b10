// GET /api/transcriptions/export.csv: every saved transcript as one CSV file.
import { contentDisposition } from "@/lib/http/download";
import { route } from "@/lib/http/route";
import { requestContext } from "@/lib/services";
import { exportAllTranscriptsCsv } from "@/lib/services/library";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route({}, async ({ request }) => {
  const csv = await exportAllTranscriptsCsv(await requestContext(request));
  const date = new Date().toISOString().slice(0, 10);
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": contentDisposition(`transcripts-${date}.csv`),
      "Cache-Control": "no-store",
    },
  });
});
