// GET /api/recordings: stored recordings with metadata, newest first, a page at a time.
import { NextResponse } from "next/server";
import { recordingsQuerySchema } from "@/lib/contract";
import { readQuery, withErrors } from "@/lib/http/route";
import { listRecordings } from "@/lib/transcripts/recordings";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = withErrors(async (request: Request) => {
  const query = readQuery(request, recordingsQuerySchema);
  return NextResponse.json(await listRecordings(query), { headers: { "Cache-Control": "no-store" } });
});
