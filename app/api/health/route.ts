// GET /api/health: engine and storage readiness.
import { NextResponse } from "next/server";
import { route } from "@/lib/http/route";
import { getProcessHealth } from "@/lib/services";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route({}, async () => {
  const health = await getProcessHealth();
  return NextResponse.json(health, {
    status: health.status === "degraded" ? 503 : 200,
    headers: { "Cache-Control": "no-store" },
  });
});
