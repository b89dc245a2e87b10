// GET /api/recordings: stored recordings with metadata, newest first, a page at a time.
import { NextResponse } from "next/server";
import { parseInput, withErrors } from "@/lib/http/route";
import { requestContext } from "@/lib/services";
import { listRecordings, recordingsQuerySchema } from "@/lib/services/recordings";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = withErrors(async (request: Request) => {
  const query = parseInput(recordingsQuerySchema, Object.fromEntries(new URL(request.url).searchParams));
  return NextResponse.json(await listRecordings(await requestContext(request), query), {
    headers: { "Cache-Control": "no-store" },
  });
});
