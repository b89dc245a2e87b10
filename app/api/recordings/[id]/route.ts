// DELETE /api/recordings/:id: removes a recording and its transcript.
import { idParamsSchema } from "@/lib/contract";
import { route } from "@/lib/http/route";
import { requestContext } from "@/lib/services";
import { deleteRecording } from "@/lib/services/recordings";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const DELETE = route({ params: idParamsSchema }, async ({ request, params }) => {
  await deleteRecording(await requestContext(request), params.id);
  return new Response(null, { status: 204 });
});
