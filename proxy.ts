// Next.js proxy (the Next 16 name of middleware): every page reply gets a Content-Security-Policy
// with a fresh nonce. Next.js reads the nonce from the request's copy of the policy and puts it on
// its own scripts; the root layout puts it on the inline theme script (`x-nonce`). API routes and
// static files are not matched: the custom server gives them their headers (lib/http/server-guards.ts),
// and a proxy would cap request bodies (uploads) at 10 MB.
import { NextResponse, type NextRequest } from "next/server";
import { isDevelopment } from "@/lib/config/runtime-mode";
import { newNonce, pageContentSecurityPolicy } from "@/lib/http/security-headers";

export function proxy(request: NextRequest) {
  const nonce = newNonce();
  const policy = pageContentSecurityPolicy({
    nonce,
    dev: isDevelopment(),
    host: request.headers.get("host") ?? undefined,
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  return response;
}

export const config = {
  matcher: [
    {
      // Everything but the API, built assets and public files (names with an extension).
      source: "/((?!api/|api$|_next/static|_next/image|[^/]+\\.[a-z0-9]+$).*)",
    },
  ],
};
