// POST /api/auth/sign-in: { username, password } -> a session cookie (AUTH_MODE=password).
import { NextResponse } from "next/server";
import { signInRequestSchema } from "@/lib/contract";
import { signIn } from "@/lib/auth/sign-in";
import { route } from "@/lib/http/route";
import { getProcessConfig } from "@/lib/services";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route({ body: signInRequestSchema }, async ({ request, body }) => {
  const { user, setCookie } = await signIn(getProcessConfig(), body, request);
  return NextResponse.json(
    { user: { name: user.name } },
    { headers: { "Set-Cookie": setCookie, "Cache-Control": "no-store" } },
  );
});
