// GET /api/outbox/:id: one kept message as a standard .eml file.
import { outboxParamsSchema } from "@/lib/contract";
import { contentDisposition } from "@/lib/http/download";
import { route } from "@/lib/http/route";
import { requestContext } from "@/lib/services";
import { readOutboxMessage } from "@/lib/services/outbox";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route({ params: outboxParamsSchema }, async ({ request, params: { id } }) => {
  const message = await readOutboxMessage(await requestContext(request), id);
  return new Response(new Uint8Array(message), {
    headers: {
      "Content-Type": "message/rfc822",
      "Content-Disposition": contentDisposition(`${id}.eml`),
      "Cache-Control": "no-store",
    },
  });
});
