const pad = (value: number, width = 2) => String(value).padStart(width, "0");

/** 1536 -> "1.5 KB" */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "";
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 100 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/** Elapsed recording time: 65_000 -> "01:05" */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const rest = `${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
  return hours > 0 ? `${hours}:${rest}` : rest;
}

/** Segment timestamp with tenths: 65.43 -> "01:05.4" */
export function formatTimestamp(seconds: number): string {
  const tenths = Math.max(0, Math.round(seconds * 10));
  const whole = Math.floor(tenths / 10);
  const hours = Math.floor(whole / 3600);
  const rest = `${pad(Math.floor((whole % 3600) / 60))}:${pad(whole % 60)}.${tenths % 10}`;
  return hours > 0 ? `${hours}:${rest}` : rest;
}

/** Media duration: 83.2 -> "1:23", 3725 -> "1:02:05" */
export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  return hours > 0 ? `${hours}:${pad(minutes)}:${pad(total % 60)}` : `${minutes}:${pad(total % 60)}`;
}

/** Short elapsed time: 3240 -> "3.2 s", 95_000 -> "1 min 35 s" */
export function formatElapsed(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/** A limit in words: 7200 -> "2 hours", 5400 -> "90 minutes" */
export function formatLength(seconds: number): string {
  const minutes = Math.round(seconds / 60);
  if (minutes >= 60 && minutes % 60 === 0) return minutes === 60 ? "1 hour" : `${minutes / 60} hours`;
  return minutes === 1 ? "1 minute" : `${minutes} minutes`;
}

export function countWords(text: string): number {
  const trimmed = text.trim();
  return trimmed ? trimmed.split(/\s+/).length : 0;
}

/** A file-system friendly base name derived from a title or file name. */
export function downloadBaseName(title: string | undefined): string {
  const withoutExtension = (title ?? "").replace(/\.[a-z0-9]{1,5}$/i, "");
  const slug = withoutExtension
    .normalize("NFKD")
    .replace(/[^\w\s.-]/g, "")
    .trim()
    .replace(/\s+/g, "-")
    .slice(0, 80);
  return slug || "transcript";
}

function validDate(iso: string): Date | null {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Locale date and time: "12 Mar 2025, 14:05" (or the user's locale equivalent). */
export function formatDateTime(iso: string): string {
  const date = validDate(iso);
  return date ? date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }) : "—";
}

/** Locale date only: "12 Mar 2025". */
export function formatDate(iso: string): string {
  const date = validDate(iso);
  return date ? date.toLocaleDateString(undefined, { dateStyle: "medium" }) : "—";
}

/** Locale time only: "14:05". */
export function formatTime(iso: string): string {
  const date = validDate(iso);
  return date ? date.toLocaleTimeString(undefined, { timeStyle: "short" }) : "";
}
