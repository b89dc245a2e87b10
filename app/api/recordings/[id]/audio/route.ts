// GET /api/recordings/:id/audio: the recording's bytes, with HTTP Range support (inline playback, seeking).
import { idParamsSchema, recordingAudioQuerySchema } from "@/lib/contract";
import { contentDisposition, toWebStream } from "@/lib/http/download";
import { route } from "@/lib/http/route";
import { requestContext } from "@/lib/services";
import { readRecordingAudio } from "@/lib/services/recordings";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(
  { params: idParamsSchema, query: recordingAudioQuerySchema },
  async ({ request, params, query }) => {
    const { download } = query;
    const audio = await readRecordingAudio(
      await requestContext(request),
      params.id,
      request.headers.get("range"),
    );
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
  },
);
