import { MAX_SPEAKERS } from "@/lib/contract";

/**
 * What the "Number of speakers" field holds: `null` when blank (detect automatically), the count
 * when it is a whole number from 1 to {@link MAX_SPEAKERS}, `"invalid"` for anything else.
 */
export function parseSpeakerCount(text: string): number | null | "invalid" {
  const trimmed = text.trim();
  if (trimmed === "") return null;
  if (!/^\d{1,3}$/.test(trimmed)) return "invalid";
  const count = Number(trimmed);
  return count >= 1 && count <= MAX_SPEAKERS ? count : "invalid";
}
