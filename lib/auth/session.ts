import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { PasswordUser } from "@/lib/config";

/** Name of the session cookie (password sign-in). */
export const SESSION_COOKIE = "transcribe_session";

/** What a valid session cookie says. */
export interface SessionClaims {
  /** The user's name, as configured. */
  user: string;
  /** Expiry, in seconds since the epoch. */
  exp: number;
}

/** The settings a session depends on. */
export interface SessionKeys {
  secret: string;
  users: readonly PasswordUser[];
}

const VERSION = "v1";

/**
 * The MAC of a session: HMAC-SHA256 under the configured secret, over the claims and a digest of
 * the user's password hash, so that changing a password (or removing the user) ends their sessions.
 */
function mac(payload: string, secret: string, passwordHash: string): Buffer {
  const credential = createHash("sha256").update(passwordHash).digest("base64url");
  return createHmac("sha256", secret).update(`${VERSION}.${payload}.${credential}`).digest();
}

/**
 * A signed session token: `v1.<claims, base64url JSON>.<MAC, base64url>`. A random nonce makes
 * each one distinct, so that signing out ends that session only.
 */
export function createSessionToken(claims: SessionClaims, keys: SessionKeys): string {
  const user = keys.users.find((candidate) => candidate.name === claims.user);
  if (!user) throw new Error("sessions are only made for configured users");
  const nonce = randomBytes(12).toString("base64url");
  const payload = Buffer.from(JSON.stringify({ u: claims.user, exp: claims.exp, n: nonce })).toString(
    "base64url",
  );
  return `${VERSION}.${payload}.${mac(payload, keys.secret, user.passwordHash).toString("base64url")}`;
}

/**
 * The claims of a token whose MAC is right (compared in constant time), that has not expired and
 * whose user still exists with the same password; null otherwise.
 */
export function verifySessionToken(token: string, keys: SessionKeys, nowSec: number): SessionClaims | null {
  const parts = token.split(".");
  if (parts.length !== 3 || parts[0] !== VERSION || token.length > 1024) return null;
  const [, payload, signature] = parts as [string, string, string];
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  const { u, exp } = (claims ?? {}) as { u?: unknown; exp?: unknown };
  if (typeof u !== "string" || typeof exp !== "number" || !Number.isFinite(exp)) return null;
  // An unknown user is checked against a hash no one has, so the answer takes as long.
  const user = keys.users.find((candidate) => candidate.name === u);
  const expected = mac(payload, keys.secret, user?.passwordHash ?? "");
  const given = Buffer.from(signature, "base64url");
  const valid = given.length === expected.length && timingSafeEqual(given, expected);
  if (!valid || !user || exp <= nowSec) return null;
  return { user: u, exp };
}

/** The value of one cookie in a `Cookie` header, or null. */
export function readCookie(header: string | null | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const index = part.indexOf("=");
    if (index < 0 || part.slice(0, index).trim() !== name) continue;
    const value = part.slice(index + 1).trim();
    try {
      return decodeURIComponent(value);
    } catch {
      return null;
    }
  }
  return null;
}

/**
 * The `Set-Cookie` value of a session (`token` null: one that clears it). httpOnly, SameSite=Lax,
 * `Path=/`; `Secure` when the browser reached the app over HTTPS.
 */
export function sessionCookie(token: string | null, options: { maxAgeSec: number; secure: boolean }): string {
  const parts = [
    `${SESSION_COOKIE}=${token ?? ""}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    token === null ? "Max-Age=0" : `Max-Age=${options.maxAgeSec}`,
  ];
  if (token === null) parts.push("Expires=Thu, 01 Jan 1970 00:00:00 GMT");
  if (options.secure) parts.push("Secure");
  return parts.join("; ");
}
