import { createHash } from "node:crypto";

/**
 * The storage partition of a signed-in user: `u-` and 32 hex digits of a hash of the sign-in mode
 * and the user's stable id (a password user's name, an Entra object id). Safe as a table partition
 * key and a blob path segment, whatever characters the name has; the same person signing in with
 * another mode is another owner.
 */
export function ownerOf(mode: "password" | "entra", subject: string): string {
  const digest = createHash("sha256").update(`${mode}\n${subject.toLowerCase()}`).digest("hex");
  return `u-${digest.slice(0, 32)}`;
}
