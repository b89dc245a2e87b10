// GET /api/auth/session: the sign-in mode and who is signed in (for the header).
import { NextResponse } from "next/server";
import { describeSession } from "@/lib/auth/sign-in";
import { route } from "@/lib/http/route";
import { getProcessConfig } from "@/lib/services";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route({}, async ({ request }) =>
  NextResponse.json(describeSession(getProcessConfig(), request), {
    headers: { "Cache-Control": "no-store" },
  }),
);
