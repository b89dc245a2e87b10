import type { AuthConfig } from "@/lib/config";
import { entraAllows, readEntraPrincipal, type HeaderReader } from "./entra";
import { ownerOf } from "./owner";
import { readCookie, SESSION_COOKIE, verifySessionToken } from "./session";
import { authState } from "./state";

export type { HeaderReader };

/** A signed-in person. */
export interface SignedInUser {
  /** What the header shows: the user name, or the Entra sign-in name. */
  name: string;
  /** Their storage partition (see {@link ownerOf}). */
  owner: string;
}

/** Who a request comes from, or why nobody. */
export type Identity =
  | { user: SignedInUser }
  | {
      user: null;
      /** `missing`: no credentials; `invalid`: a bad or expired session; `not_allowed`: outside the allow-lists. */
      reason: "missing" | "invalid" | "not_allowed";
    };

/**
 * Who sent a request, from its session cookie (`password`) or the platform's authentication
 * headers (`entra`; ignored in every other mode). Not for `none`, where nobody signs in.
 */
export function identify(
  header: HeaderReader,
  auth: Exclude<AuthConfig, { mode: "none" }>,
  nowMs = Date.now(),
): Identity {
  if (auth.mode === "entra") {
    const principal = readEntraPrincipal(header);
    if (!principal) return { user: null, reason: "missing" };
    if (!entraAllows(principal, auth)) return { user: null, reason: "not_allowed" };
    return { user: { name: principal.name, owner: ownerOf("entra", principal.id) } };
  }
  const token = readCookie(header("cookie"), SESSION_COOKIE);
  if (!token) return { user: null, reason: "missing" };
  const claims = verifySessionToken(token, auth, Math.floor(nowMs / 1000));
  if (!claims || authState().revoked.has(token)) return { user: null, reason: "invalid" };
  return { user: { name: claims.user, owner: ownerOf("password", claims.user) } };
}

/** Reads headers of a fetch `Request`. */
export function fetchHeaders(headers: Headers): HeaderReader {
  return (name) => headers.get(name);
}

/** Reads headers of a Node request (repeated ones joined as Node joins them). */
export function nodeHeaders(headers: Record<string, string | string[] | undefined>): HeaderReader {
  return (name) => {
    const value = headers[name];
    return Array.isArray(value) ? value.join(name === "cookie" ? "; " : ", ") : value;
  };
}
