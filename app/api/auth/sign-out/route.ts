// POST /api/auth/sign-out: ends the session and clears its cookie.
import { signOut } from "@/lib/auth/sign-in";
import { route } from "@/lib/http/route";
import { getProcessConfig } from "@/lib/services";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(
  {},
  async ({ request }) =>
    new Response(null, {
      status: 204,
      headers: { "Set-Cookie": signOut(getProcessConfig(), request), "Cache-Control": "no-store" },
    }),
);
