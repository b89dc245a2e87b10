// GET /api/outbox: the messages the outbox sender kept (only while it is the active sender).
import { NextResponse } from "next/server";
import { withErrors } from "@/lib/http/route";
import { listOutbox } from "@/lib/transcripts/outbox";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = withErrors(async () => {
  return NextResponse.json({ items: await listOutbox() }, { headers: { "Cache-Control": "no-store" } });
});
