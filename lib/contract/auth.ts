import { z } from "zod";

/** How people sign in: not at all, with a password, or through Azure Container Apps (Entra ID). */
export const authModeSchema = z.enum(["none", "password", "entra"]);

export type AuthMode = z.infer<typeof authModeSchema>;

/** `POST /api/auth/sign-in` body. */
export const signInRequestSchema = z.object({
  username: z.string().trim().min(1, "Enter your user name.").max(64, "No user name is that long."),
  password: z.string().min(1, "Enter your password.").max(1024, "No password is that long."),
});

export type SignInRequest = z.infer<typeof signInRequestSchema>;

/** The person signed in. */
export const sessionUserSchema = z.object({ name: z.string() });

/** `POST /api/auth/sign-in` answer (the session itself is an httpOnly cookie). */
export const signInResponseSchema = z.object({ user: sessionUserSchema });

/**
 * `GET /api/auth/session`: the sign-in mode and who is signed in (null: nobody, or `none` mode);
 * `signOutUrl` where signing out is a page of the platform's (Entra: `/.auth/logout`).
 */
export const sessionResponseSchema = z.object({
  mode: authModeSchema,
  user: sessionUserSchema.nullable(),
  signOutUrl: z.string().optional(),
});

export type SessionResponse = z.infer<typeof sessionResponseSchema>;

/**
 * A path on this site to go to after signing in: `value` when it is one (starts with a single
 * `/`, no control characters), else `/`. Never another site, so `?next=` cannot send people away.
 */
export function safeNextPath(value: string | null | undefined): string {
  if (!value || value.length > 2048) return "/";
  if (!value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return "/";
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return "/";
  if (value === "/sign-in" || value.startsWith("/sign-in?") || value.startsWith("/api/")) return "/";
  return value;
}
