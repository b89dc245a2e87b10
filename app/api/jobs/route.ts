// /api/jobs: GET lists the caller's transcription jobs (running and queued, then the last day's others).
import { NextResponse } from "next/server";
import { route } from "@/lib/http/route";
import { requestContext } from "@/lib/services";
import { listJobs } from "@/lib/services/transcriptions";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route({}, async ({ request }) =>
  NextResponse.json(await listJobs(await requestContext(request)), {
    headers: { "Cache-Control": "no-store" },
  }),
);
