// The sign-in gate of the custom server: every request and WebSocket upgrade is checked here before
// Next sees it. Route handlers check again (`resolveOwner`), so a handler reached another way is
// no more open.
import type http from "node:http";
import type { Duplex } from "node:stream";
import { safeNextPath } from "@/lib/contract/auth";
import type { AppConfig, AuthConfig } from "@/lib/config";
import { logger } from "@/lib/log";
import { identify, nodeHeaders, type Identity } from "./identity";
import { unauthorizedError } from "./request-context";
import { sessionCookie } from "./session";

/** Paths anyone may reach: the sign-in page and API, health, the built assets and the icon. */
const PUBLIC_PATHS = new Set([
  "/sign-in",
  "/api/auth/sign-in",
  "/api/auth/sign-out",
  "/api/auth/session",
  "/api/health",
  "/icon.svg",
  "/favicon.ico",
]);
const PUBLIC_PREFIXES = ["/_next/static/", "/_next/webpack-hmr", "/_next/hmr"];

/** What the gate does with a request. */
export type AccessDecision =
  | { action: "allow" }
  /** A page asked for without a session (password sign-in): go to the sign-in page. */
  | { action: "redirect"; location: string; clearCookie: boolean }
  | { action: "deny"; status: 401; api: boolean; reason: Exclude<Identity, { user: object }>["reason"] };

/** Whether `pathname` is open without signing in. */
export function isPublicPath(pathname: string): boolean {
  return PUBLIC_PATHS.has(pathname) || PUBLIC_PREFIXES.some((prefix) => pathname.startsWith(prefix));
}

function pathOf(url: string | undefined): { pathname: string; search: string } {
  try {
    // Appended, not resolved: `//host/path` stays a path, as the server routes it.
    const target = url ?? "/";
    const parsed = new URL(target.startsWith("/") ? `http://localhost${target}` : target);
    return { pathname: parsed.pathname, search: parsed.search };
  } catch {
    return { pathname: "/", search: "" };
  }
}

/** Decides whether a request may go on, in the configured sign-in mode. */
export function checkAccess(
  request: Pick<http.IncomingMessage, "method" | "url" | "headers">,
  auth: AuthConfig,
): AccessDecision {
  if (auth.mode === "none") return { action: "allow" };
  const { pathname, search } = pathOf(request.url);
  if (isPublicPath(pathname)) return { action: "allow" };
  const identity = identify(nodeHeaders(request.headers), auth);
  if (identity.user) return { action: "allow" };
  const api = pathname === "/api" || pathname.startsWith("/api/");
  const method = request.method ?? "GET";
  if (!api && auth.mode === "password" && (method === "GET" || method === "HEAD")) {
    const next = safeNextPath(`${pathname}${search}`);
    const location = next === "/" ? "/sign-in" : `/sign-in?next=${encodeURIComponent(next)}`;
    return { action: "redirect", location, clearCookie: identity.reason === "invalid" };
  }
  return { action: "deny", status: 401, api, reason: identity.reason };
}

/**
 * Checks a request and, when it may not go on, answers it (401, or a redirect to the sign-in
 * page). Returns whether it answered.
 */
export function gateRequest(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  config: Pick<AppConfig, "auth">,
): boolean {
  const decision = checkAccess(request, config.auth);
  if (decision.action === "allow") return false;
  response.setHeader("Cache-Control", "no-store");
  if (decision.action === "redirect") {
    if (decision.clearCookie)
      response.setHeader("Set-Cookie", sessionCookie(null, { maxAgeSec: 0, secure: false }));
    response.writeHead(303, { Location: decision.location }).end();
    return true;
  }
  if (decision.api) {
    const body = JSON.stringify(unauthorizedError(decision.reason).toEnvelope());
    response
      .writeHead(401, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) })
      .end(body);
    return true;
  }
  const body = signInRequiredPage(config.auth.mode, decision.reason);
  response
    .writeHead(401, { "Content-Type": "text/html; charset=utf-8", "Content-Length": Buffer.byteLength(body) })
    .end(request.method === "HEAD" ? undefined : body);
  return true;
}

/**
 * Checks a WebSocket upgrade (the live socket): without a session it is refused with 401 and the
 * error envelope. Returns whether it refused.
 */
export function gateUpgrade(
  request: http.IncomingMessage,
  socket: Duplex,
  config: Pick<AppConfig, "auth">,
): boolean {
  const decision = checkAccess({ method: "GET", url: request.url, headers: request.headers }, config.auth);
  if (decision.action === "allow") return false;
  const reason = decision.action === "deny" ? decision.reason : "missing";
  const body = JSON.stringify(unauthorizedError(reason).toEnvelope());
  socket.end(
    "HTTP/1.1 401 Unauthorized\r\n" +
      "Content-Type: application/json\r\n" +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      "Connection: close\r\n\r\n" +
      body,
  );
  return true;
}

/** A plain page (no scripts, no styles) for a page request nobody may see yet. */
function signInRequiredPage(mode: AuthConfig["mode"], reason: string): string {
  const [title, text, link] =
    reason === "not_allowed"
      ? [
          "Not allowed",
          "This account is not allowed to use Transcribe. Ask whoever runs it to add you, or sign in with another account.",
          `<a href="/.auth/logout">Sign out</a>`,
        ]
      : mode === "entra"
        ? [
            "Sign-in required",
            "Sign in with your organisation's account to use Transcribe.",
            `<a href="/.auth/login/aad">Sign in</a>`,
          ]
        : ["Sign-in required", "Sign in to use Transcribe.", `<a href="/sign-in">Sign in</a>`];
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} · Transcribe</title></head><body><main><h1>${title}</h1><p>${text}</p><p>${link}</p></main></body></html>`;
}

function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase();
  return bare === "localhost" || bare === "::1" || /^(::ffff:)?127\.\d+\.\d+\.\d+$/.test(bare);
}

/**
 * Warns at start-up when the server can be reached from other machines with nobody signing in
 * (anyone who reaches it can read and delete everything), or with passwords over plain HTTP.
 * Returns the warnings given.
 */
export function warnAboutExposure(config: Pick<AppConfig, "auth" | "server">, host: string): string[] {
  if (isLoopback(host)) return [];
  const warnings: string[] = [];
  if (config.auth.mode === "none") {
    const message = "listening beyond this machine without sign-in";
    logger.warn(message, {
      host,
      hint: "anyone who can reach this address can read, change and delete every recording: set AUTH_MODE=password or entra, or HOST=127.0.0.1",
    });
    warnings.push(message);
  } else if (config.auth.mode === "password" && !config.server.trustProxy && !config.auth.httpsOnly) {
    const message = "password sign-in over plain HTTP";
    logger.warn(message, {
      host,
      hint: "passwords and session cookies cross the network unencrypted: serve the app behind HTTPS (TRUST_PROXY=true, PUBLIC_ORIGINS=https://…)",
    });
    warnings.push(message);
  }
  return warnings;
}
