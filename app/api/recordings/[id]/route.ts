// DELETE /api/recordings/:id: removes a recording and its transcript.
import { idParamsSchema as paramsSchema } from "@/lib/contract";
import { parseInput, withErrors } from "@/lib/http/route";
import { requestContext } from "@/lib/services";
import { deleteRecording } from "@/lib/services/recordings";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const DELETE = withErrors(async (request: Request, context: { params: Promise<{ id: string }> }) => {
  const { id } = parseInput(paramsSchema, await context.params);
  await deleteRecording(await requestContext(request), id);
  return new Response(null, { status: 204 });
});
