// GET /api/recordings/:id/audio: the recording's bytes, with HTTP Range support (inline playback, seeking).
import { z } from "zod";
import { contentDisposition, toWebStream } from "@/lib/http/download";
import { parseInput, withErrors } from "@/lib/http/route";
import { requestContext } from "@/lib/services";
import { readRecordingAudio } from "@/lib/services/recordings";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const paramsSchema = z.object({ id: z.string().regex(/^[0-9a-z]{17}$/, "is not a recording id") });

export const GET = withErrors(async (request: Request, context: { params: Promise<{ id: string }> }) => {
  const { id } = parseInput(paramsSchema, await context.params);
  const download = new URL(request.url).searchParams.get("download") === "1";
  const audio = await readRecordingAudio(await requestContext(request), id, request.headers.get("range"));
  const headers: Record<string, string> = {
    "Content-Type": audio.contentType,
    "Accept-Ranges": "bytes",
    "Content-Disposition": contentDisposition(audio.name, download ? "attachment" : "inline"),
    "Cache-Control": "private, max-age=0, must-revalidate",
  };
  if (audio.range) {
    headers["Content-Range"] = `bytes ${audio.range.start}-${audio.range.end}/${audio.totalBytes}`;
    headers["Content-Length"] = String(audio.range.end - audio.range.start + 1);
    return new Response(toWebStream(audio.stream), { status: 206, headers });
  }
  headers["Content-Length"] = String(audio.totalBytes);
  return new Response(toWebStream(audio.stream), { status: 200, headers });
});
