import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";

/** scrypt's cost: 32 MiB and about 0.1 s a check on one core (OWASP's N=2^15, r=8, p=1 set). */
const PARAMS: ScryptOptions = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEY_BYTES = 32;
const SALT_BYTES = 16;
/** Longest password accepted (scrypt hashes any length; this only bounds the work a request asks for). */
export const MAX_PASSWORD_LENGTH = 1024;

function derive(password: string, salt: Buffer, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize("NFC"), salt, length, PARAMS, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/**
 * A password's stored form: `scrypt:<salt>:<hash>` (base64url). No `$` in it, so it survives
 * `.env` files, whose values expand `$NAME` even in quotes.
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, KEY_BYTES);
  return `scrypt:${salt.toString("base64url")}:${key.toString("base64url")}`;
}

/** A stored hash that no password matches, checked for unknown users so that they take as long. */
const DECOY = `scrypt:${Buffer.alloc(SALT_BYTES).toString("base64url")}:${Buffer.alloc(KEY_BYTES).toString("base64url")}`;

/**
 * Whether `password` matches `stored` (compared in constant time). `stored` null: an unknown user,
 * checked against a decoy so that the answer takes as long and is false.
 */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const [kind, saltText, hashText] = (stored ?? DECOY).split(":");
  if (kind !== "scrypt" || !saltText || !hashText) return false;
  const expected = Buffer.from(hashText, "base64url");
  if (expected.length < 16) return false;
  const actual = await derive(
    password.slice(0, MAX_PASSWORD_LENGTH),
    Buffer.from(saltText, "base64url"),
    expected.length,
  );
  return timingSafeEqual(actual, expected) && stored !== null;
}
