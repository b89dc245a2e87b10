// GET /api/recordings: stored recordings with metadata, newest first, a page at a time.
import { NextResponse } from "next/server";
import { parseInput, withErrors } from "@/lib/http/route";
import { listRecordings, recordingsQuerySchema } from "@/lib/transcripts/recordings";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = withErrors(async (request: Request) => {
  const query = parseInput(recordingsQuerySchema, Object.fromEntries(new URL(request.url).searchParams));
  return NextResponse.json(await listRecordings(query), { headers: { "Cache-Control": "no-store" } });
});
