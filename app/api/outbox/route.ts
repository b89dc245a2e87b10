// GET /api/outbox: the messages the outbox sender kept for the caller (only while it is the active sender).
import { NextResponse } from "next/server";
import { route } from "@/lib/http/route";
import { requestContext } from "@/lib/services";
import { listOutbox } from "@/lib/services/outbox";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route({}, async ({ request }) =>
  NextResponse.json(
    { items: await listOutbox(await requestContext(request)) },
    { headers: { "Cache-Control": "no-store" } },
  ),
);
