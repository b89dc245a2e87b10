import { sessionResponseSchema, signInResponseSchema, type SessionResponse } from "@/lib/contract";
import { requestEmpty, requestJson } from "./request";

/** The sign-in mode and who is signed in. */
export function fetchSession(signal?: AbortSignal): Promise<SessionResponse> {
  return requestJson("/api/auth/session", sessionResponseSchema, { signal });
}

/** Signs in with a password; the session is an httpOnly cookie the browser keeps. */
export function signIn(username: string, password: string): Promise<{ user: { name: string } }> {
  return requestJson("/api/auth/sign-in", signInResponseSchema, {
    method: "POST",
    json: { username, password },
  });
}

/** Ends the session (password sign-in). */
export function signOut(): Promise<void> {
  return requestEmpty("/api/auth/sign-out", { method: "POST" });
}
