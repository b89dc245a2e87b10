// GET /api/recordings/:id/audio: the recording's bytes, with HTTP Range support (inline playback, seeking).
import { idParamsSchema as paramsSchema, recordingAudioQuerySchema } from "@/lib/contract";
import { contentDisposition, toWebStream } from "@/lib/http/download";
import { parseInput, readQuery, withErrors } from "@/lib/http/route";
import { requestContext } from "@/lib/services";
import { readRecordingAudio } from "@/lib/services/recordings";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = withErrors(async (request: Request, context: { params: Promise<{ id: string }> }) => {
  const { id } = parseInput(paramsSchema, await context.params);
  const { download } = readQuery(request, recordingAudioQuerySchema);
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
