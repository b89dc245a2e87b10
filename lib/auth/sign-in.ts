import type { AppConfig, AuthConfig } from "@/lib/config";
import type { SessionResponse, SignInRequest } from "@/lib/contract/auth";
import { AppError } from "@/lib/domain/errors";
import { logger } from "@/lib/log";
import { fetchHeaders, identify, type SignedInUser } from "./identity";
import { ownerOf } from "./owner";
import { verifyPassword } from "./password";
import { createSessionToken, readCookie, SESSION_COOKIE, sessionCookie, verifySessionToken } from "./session";
import { authState } from "./state";

type PasswordAuth = Extract<AuthConfig, { mode: "password" }>;

function passwordAuth(auth: AuthConfig): PasswordAuth {
  if (auth.mode !== "password") {
    throw new AppError(
      "not_found",
      auth.mode === "entra"
        ? "This server signs people in with their organisation's account: go to /.auth/login/aad."
        : "Sign-in is off on this server (AUTH_MODE=none).",
    );
  }
  return auth;
}

/**
 * Whether the session cookie must be `Secure`: the configured public origins are all https, the
 * request itself is, or a trusted proxy's `X-Forwarded-Proto` says the browser used HTTPS.
 */
export function cameOverHttps(request: Request, config: Pick<AppConfig, "auth" | "server">): boolean {
  if (config.auth.mode === "password" && config.auth.httpsOnly) return true;
  if (new URL(request.url).protocol === "https:") return true;
  const forwarded = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  return config.server.trustProxy && forwarded === "https";
}

/** What a successful sign-in gives: the user and the `Set-Cookie` value of their session. */
export interface SignInResult {
  user: SignedInUser;
  setCookie: string;
}

/**
 * Checks a user name and password against the configured users. Failures are counted per user
 * name and per client address; past the limit both answer 429 `rate_limited` with `Retry-After`
 * (even for the right password) until the lock ends. Nothing secret is logged.
 */
export async function signIn(
  config: Pick<AppConfig, "auth" | "server">,
  input: SignInRequest,
  request: Request,
  nowMs = Date.now(),
): Promise<SignInResult> {
  const auth = passwordAuth(config.auth);
  const name = input.username.trim().toLowerCase();
  const client = request.headers.get("x-client-address") ?? "unknown";
  const { users, clients } = authState();
  const wait = Math.max(users.retryAfterSec(name, nowMs), clients.retryAfterSec(client, nowMs));
  if (wait > 0) {
    const error = new AppError(
      "rate_limited",
      `Too many failed sign-ins. Try again in ${wait >= 90 ? `${Math.ceil(wait / 60)} min` : `${wait} s`}.`,
    );
    error.headers["Retry-After"] = String(wait);
    throw error;
  }
  const user = auth.users.find((candidate) => candidate.name === name);
  const valid = await verifyPassword(input.password, user?.passwordHash ?? null);
  if (!valid || !user) {
    users.fail(name, nowMs);
    clients.fail(client, nowMs);
    logger.warn("sign-in failed", { user: user ? user.name : "(unknown)", client });
    throw new AppError("unauthorized", "The user name or password is not right.");
  }
  users.clear(name);
  clients.clear(client);
  const exp = Math.floor(nowMs / 1000) + auth.sessionSec;
  const token = createSessionToken({ user: user.name, exp }, auth);
  logger.info("signed in", { user: user.name });
  return {
    user: { name: user.name, owner: ownerOf("password", user.name) },
    setCookie: sessionCookie(token, {
      maxAgeSec: auth.sessionSec,
      secure: cameOverHttps(request, config),
    }),
  };
}

/**
 * Ends the request's session: the cookie is cleared, and the token is refused from now on by this
 * process even if a copy of it is replayed. Returns the `Set-Cookie` value.
 */
export function signOut(
  config: Pick<AppConfig, "auth" | "server">,
  request: Request,
  nowMs = Date.now(),
): string {
  const token = readCookie(request.headers.get("cookie"), SESSION_COOKIE);
  if (token && config.auth.mode === "password") {
    const nowSec = Math.floor(nowMs / 1000);
    const claims = verifySessionToken(token, config.auth, nowSec);
    if (claims) {
      authState().revoked.revoke(token, claims.exp, nowSec);
      logger.info("signed out", { user: claims.user });
    }
  }
  return sessionCookie(null, { maxAgeSec: 0, secure: cameOverHttps(request, config) });
}

/** `GET /api/auth/session`: the mode and who the request is signed in as. */
export function describeSession(config: Pick<AppConfig, "auth">, request: Request): SessionResponse {
  const { auth } = config;
  if (auth.mode === "none") return { mode: "none", user: null };
  const identity = identify(fetchHeaders(request.headers), auth);
  const user = identity.user ? { name: identity.user.name } : null;
  return auth.mode === "entra"
    ? { mode: "entra", user, signOutUrl: "/.auth/logout" }
    : { mode: "password", user };
}
