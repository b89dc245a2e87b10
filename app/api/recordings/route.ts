// GET /api/recordings: stored recordings with metadata, newest first, a page at a time.
import { NextResponse } from "next/server";
import { recordingsQuerySchema } from "@/lib/contract";
import { route } from "@/lib/http/route";
import { requestContext } from "@/lib/services";
import { listRecordings } from "@/lib/services/recordings";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route({ query: recordingsQuerySchema }, async ({ request, query }) =>
  NextResponse.json(await listRecordings(await requestContext(request), query), {
    headers: { "Cache-Control": "no-store" },
  }),
);
