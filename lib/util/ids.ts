import { randomBytes } from "node:crypto";

const MAX_TIME = 8.64e15;

/**
 * A new id that sorts newest first as a string (inverted timestamp, then randomness):
 * 17 characters of [0-9a-z], safe in URLs, paths and Table Storage row keys.
 */
export function createId(now = Date.now()): string {
  const inverted = (MAX_TIME - now).toString(36).padStart(11, "0");
  const random = BigInt(`0x${randomBytes(5).toString("hex")}`)
    .toString(36)
    .padStart(8, "0")
    .slice(-6);
  return inverted + random;
}

/** True for strings {@link createId} could have produced. */
export function isId(value: string): boolean {
  return /^[0-9a-z]{17}$/.test(value);
}
